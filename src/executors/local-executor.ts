/** The executor for this machine: /proc and signals directly, scripts through `sh -c`. */
import { spawn } from 'node:child_process';
import { signalIfSame, waitUntilStopped } from './local-signal.js';
import { listProcesses, type ProcessInfo } from '../targets/process/candidates.js';
import { selfAndAncestors } from '../targets/process/proc.js';
import type { Executor, ProcessRef, RunOptions, RunResult, ShOptions, ShResult } from './contract.js';
import { runCommand } from './run-command.js';
import { dockerEngine, type Engine } from '../docker/engine.js';

export const localExecutor: Executor = {
  where: 'local',
  async sh(script: string, options: ShOptions): Promise<ShResult> {
    // loaded on first use: commands that only read a drill never need it
    const { execa } = await import('execa');
    const r = await execa('sh', ['-c', script], {
      reject: false,
      timeout: options.timeoutMs,
      input: options.stdin ?? '',
      ...(options.signal ? { cancelSignal: options.signal } : {}),
    });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? null };
  },
  async signalIfSame(ref: ProcessRef, sig: NodeJS.Signals, options = {}): Promise<{ sent: boolean; settled: boolean }> {
    const sent = await signalIfSame(ref, sig, options.cancel ? { cancel: options.cancel } : {});
    if (!sent || !options.settle) return { sent, settled: true };
    return { sent, settled: await waitUntilStopped(ref, options.settle === 'stopped') };
  },
  listProcesses(): Promise<ProcessInfo[]> {
    return listProcesses();
  },
  protectedPids(): Promise<Set<number>> {
    return selfAndAncestors();
  },
  run(command: string | readonly string[], options: RunOptions): Promise<RunResult> {
    return runCommand(typeof command === 'string' ? command : [...command], { env: { ...process.env, ...options.env }, timeoutMs: options.timeoutMs, signal: options.signal });
  },
  dockerEngine(): Promise<Engine> {
    return dockerEngine();
  },
  async spawnDetached(script: string): Promise<number> {
    const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    child.unref();
    return child.pid ?? 0;
  },
};
