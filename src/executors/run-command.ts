/**
 * Runs a drill command: a string through /bin/sh, an argv list directly. It runs in its own
 * process group so a timeout or abort ends everything it started, not only the shell. A command
 * that ends normally may leave a background process on purpose (started by inject, stopped by
 * revert), so nothing is killed then.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { OutputTail } from '../text/output-tail.js';
import type { RunResult } from './contract.js';
import { isErrno } from './local-signal.js';

/** After SIGTERM, a command gets this long before SIGKILL. */
const KILL_AFTER_MS = 2000;
const CLOSE_WAIT_MS = 200;

/** How a local command ended: the executor contract's result without captured output. */
export type CommandResult = Omit<RunResult, 'stdout'>;

export interface RunCommandOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Runs `command` to its end, or stops it (SIGTERM, then SIGKILL) at the timeout or on abort. */
export async function runCommand(command: string | string[], options: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
  const stderr = new OutputTail();
  const result: CommandResult = { exitCode: null, signal: null, timedOut: false, aborted: false, stderrLastLine: '' };
  if (file === undefined) return { ...result, spawnError: new Error('empty command') };
  options.signal.throwIfAborted();

  const child = spawn(file, args, { detached: true, env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));
  try {
    await once(child, 'spawn');
  } catch (e) {
    return { ...result, spawnError: e instanceof Error ? e : new Error(String(e)) };
  }
  const pgid = child.pid as number;
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const closed = once(child, 'close').catch(() => undefined);
  const stopping = new AbortController();
  const stop = async (why: 'timedOut' | 'aborted'): Promise<void> => {
    result[why] = true;
    killGroup(pgid, 'SIGTERM');
    await delay(KILL_AFTER_MS, undefined, { signal: stopping.signal }).then(
      () => killGroup(pgid, 'SIGKILL'),
      () => undefined,
    );
  };
  const timer = setTimeout(() => void stop('timedOut'), options.timeoutMs);
  const onAbort = (): void => void stop('aborted');
  options.signal.addEventListener('abort', onAbort, { once: true });
  let ended: [number | null, NodeJS.Signals | null];
  try {
    ended = await exited;
  } finally {
    // at once: a timeout firing after the exit must neither mark the run timed out nor signal a reaped group
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    stopping.abort();
  }
  // a process the command left in the background may hold stderr open: read what is there, then let go
  await Promise.race([closed, delay(CLOSE_WAIT_MS)]);
  child.stderr?.destroy();
  const [exitCode, signal] = ended;
  return { ...result, exitCode, signal, stderrLastLine: stderr.lastLine() };
}

function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch (e) {
    if (!isErrno(e, 'ESRCH')) throw e;
  }
}
