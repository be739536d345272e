import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localExecutor } from './local-executor.js';
import { remoteRunScript, remoteStopScript, runPidFile, runResultOf } from './remote-run.js';

/** Runs the script a host would get, through this machine's real sh. */
async function onHost(command: string | string[], env: Record<string, string> = {}, timeoutMs = 5000) {
  const pidFile = runPidFile();
  const t0 = performance.now();
  const r = await localExecutor.sh(remoteRunScript(command, { env, timeoutMs, pidFile, stdoutLimitBytes: 1024 }), { timeoutMs: timeoutMs + 10_000 });
  return runResultOf(r, { aborted: false, elapsedMs: performance.now() - t0, timeoutMs, captured: true });
}

/** Starts `script`, runs the stop script as soon as its pid file appears, and expects the run ended by it. */
async function expectStoppedOnceStarted(script: string, pidFile: string): Promise<void> {
  const running = localExecutor.sh(script, { timeoutMs: 30_000 });
  for (let i = 0; i < 250 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await localExecutor.sh(remoteStopScript(pidFile), { timeoutMs: 10_000 });
  const r = await running;
  expect(r.exitCode).not.toBe(0);
  expect(performance.now() - t0).toBeLessThan(5000);
}

describe('a drill command as the script a remote host runs', () => {
  it('passes argv words and variable values through untouched: quotes, $(...), ; and newlines stay text', async () => {
    const marker = `/tmp/firedrill-remote-run-${process.pid}`;
    rmSync(marker, { force: true });
    const hostile = `x'; touch ${marker}; echo '$(touch ${marker})\`touch ${marker}\`\nnext`;
    const r = await onHost(['printf', '%s|%s', hostile, '$MSG'], { MSG: hostile });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${hostile}|$MSG`);
    const viaEnv = await onHost(['sh', '-c', 'printf %s "$MSG"'], { MSG: hostile });
    expect(viaEnv.stdout).toBe(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a variable name that is not a shell name instead of splicing it', () => {
    expect(() => remoteRunScript(['true'], { env: { 'A;touch /tmp/x': '1' }, timeoutMs: 1000, pidFile: '/tmp/p' })).toThrow(/cannot be passed to a remote host/);
  });

  it('reports a timeout, and a command that cannot start, in the same fields as locally', async () => {
    const slow = await onHost(['sleep', '5'], {}, 300);
    expect(slow).toMatchObject({ timedOut: true, exitCode: null });
    const missing = await onHost(['no-such-command-firedrill']);
    expect(missing.spawnError).toBeDefined();
  });

  it('the stop script ends the whole process group the run started', async () => {
    const pidFile = runPidFile();
    await expectStoppedOnceStarted(remoteRunScript(['sh', '-c', 'sleep 30 & sleep 30'], { env: {}, timeoutMs: 20_000, pidFile }), pidFile);
  });

  it('the stop script ends a run that has no process group yet (stopped right after its start)', async () => {
    // a `timeout` that takes half a second before it runs (and makes itself a group leader): the
    // stop comes in between, as an abort right after the start can on a busy host
    const bin = mkdtempSync(join(tmpdir(), 'fd-slow-timeout-'));
    try {
      writeFileSync(join(bin, 'timeout'), `#!/bin/sh\nsleep 0.5\nexec ${execFileSync('sh', ['-c', 'command -v timeout'], { encoding: 'utf8' }).trim()} "$@"\n`, { mode: 0o755 });
      const pidFile = runPidFile();
      const script = `PATH=${bin}:$PATH; export PATH\n${remoteRunScript(['sleep', '30'], { env: {}, timeoutMs: 20_000, pidFile })}`;
      await expectStoppedOnceStarted(script, pidFile);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
