import { describe, expect, it } from 'vitest';
import { probeSchema, type DrillInput } from '../../drill/schema.js';
import { readProcStat } from '../../targets/process/proc.js';
import { commandProber, KILL_GRACE_MS, type CommandProbeSpec } from './command-probe.js';

type CommandInput = NonNullable<DrillInput['probes'][string]['command']>;

function spec(input: CommandInput): CommandProbeSpec {
  const parsed = probeSchema.parse({ command: input }).command;
  if (!parsed) throw new Error('no command spec');
  return parsed;
}

function check(input: CommandInput, timeoutMs = 5000, signal = new AbortController().signal) {
  return commandProber.check(spec(input), { timeoutMs, signal });
}

/** Gone or a zombie: a container's init may be slow to reap orphans, and a zombie runs nothing. */
async function isGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const stat = await readProcStat(pid);
    if (!stat || stat.state === 'Z') return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('command probe', () => {
  it('passes on exit code 0 and reports the first stdout line', async () => {
    const result = await check({ run: ['sh', '-c', 'printf "ready\\nmore\\n"'] });
    expect(result).toMatchObject({ ok: true, detail: 'ready' });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('runs a string through the shell', async () => {
    expect(await check({ run: 'echo $((40 + 2)) | tr 4 x' })).toMatchObject({ ok: true, detail: 'x2' });
  });

  it('runs an argv list directly, without shell expansion', async () => {
    expect(await check({ run: ['echo', '$HOME', '*'] })).toMatchObject({ ok: true, detail: '$HOME *' });
  });

  it('fails on another exit code, and passes when that code is the expected one', async () => {
    expect(await check({ run: 'echo broken >&2; exit 3' })).toMatchObject({
      ok: false,
      error: 'exit code 3 (expected 0)',
      detail: 'broken',
    });
    expect((await check({ run: 'exit 3', expectExitCode: 3 })).ok).toBe(true);
  });

  it('checks stdout against stdoutMatch', async () => {
    expect((await check({ run: 'echo role=primary', stdoutMatch: 'role=primary' })).ok).toBe(true);
    expect(await check({ run: 'echo role=replica', stdoutMatch: 'role=primary' })).toMatchObject({
      ok: false,
      error: 'stdout does not match /role=primary/',
      detail: 'role=replica',
    });
  });

  it('times out and ends the command', async () => {
    const result = await check({ run: 'echo $$; exec sleep 30' }, 200);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
    expect(result.latencyMs).toBeLessThan(15_000);
    expect(await isGone(Number(result.detail))).toBe(true);
  });

  it('ends the whole pipeline, not only the shell, on timeout', async () => {
    const result = await check({ run: 'sleep 30 | cat' }, 200);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
    expect(result.latencyMs).toBeLessThan(15_000);
  });

  it('escalates to SIGKILL when the command ignores SIGTERM', async () => {
    const result = await check({ run: 'trap "" TERM; sleep 30 & echo $!; wait' }, 200);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(200 + KILL_GRACE_MS - 50);
    expect(result.latencyMs).toBeLessThan(15_000);
    expect(await isGone(Number(result.detail))).toBe(true);
  });

  it('stops the command when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await check({ run: ['sleep', '30'] }, 30_000, controller.signal);
    expect(result).toMatchObject({ ok: false, error: 'aborted' });
    expect(result.latencyMs).toBeLessThan(15_000);
  });

  it('reports a program that cannot be started', async () => {
    expect(await check({ run: ['firedrill-no-such-program'] })).toMatchObject({ ok: false, error: 'cannot run: ENOENT' });
  });

  it('reports an invalid pattern instead of throwing', async () => {
    expect(await check({ run: 'true', stdoutMatch: '[' })).toMatchObject({ ok: false, error: 'invalid stdoutMatch /[/' });
  });
});
