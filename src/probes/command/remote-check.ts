/**
 * A command probe with `on: <host>`: the command runs on that host through its executor, over the
 * run's one SSH connection to it (no new connection per check). Its output is text like any other
 * (decoded as UTF-8 and shown through the reports' printable()), capped like a local check's.
 */
import { executorFor } from '../../executors/registry.js';
import { errorMessage } from '../../errors.js';
import type { ProbeCheckOptions, ProbeResult } from '../contract.js';
import { firstLine, timeoutReason } from '../reason.js';

/** What a check keeps of stdout; more fails the check, as locally. */
const OUTPUT_CAP_BYTES = 64 * 1024;
/** Past the timeout, the check reports a timeout this much later at the latest, whatever the host does. */
const GIVE_UP_AFTER_MS = 500;

export interface RemoteCommandSpec {
  run: string | string[];
  on: string;
  expectExitCode: number;
}

/** Runs the command once on `spec.on`; resolves within about `timeoutMs` and never rejects. */
export async function remoteCheck(spec: RemoteCommandSpec, stdoutRegex: RegExp | undefined, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  const started = performance.now();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let giveUpTimer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'gave-up'>((resolve) => {
    giveUpTimer = setTimeout(() => {
      stop.abort();
      resolve('gave-up');
    }, timeoutMs + GIVE_UP_AFTER_MS);
  });
  try {
    const running = executorFor({ host: spec.on }).run(spec.run, { env: {}, timeoutMs, signal: stop.signal, stdoutLimitBytes: OUTPUT_CAP_BYTES + 1 });
    // a late answer after we gave up must not become an unhandled rejection
    running.catch(() => undefined);
    const r = await Promise.race([running, gaveUp]);
    const latencyMs = performance.now() - started;
    if (r === 'gave-up') return { ok: false, latencyMs, error: `${timeoutReason(timeoutMs)} (host ${spec.on} did not answer)` };
    const stdout = r.stdout ?? '';
    const line = firstLine(stdout) || firstLine(r.stderrLastLine);
    const detail = line === '' ? {} : { detail: line };
    if (r.aborted) return { ok: false, latencyMs, error: 'aborted', ...detail };
    if (r.timedOut) return { ok: false, latencyMs, error: timeoutReason(timeoutMs), ...detail };
    if (r.spawnError) return { ok: false, latencyMs, error: `cannot run on ${spec.on}: ${firstLine(r.spawnError.message)}`, ...detail };
    if (r.exitCode === null) return { ok: false, latencyMs, error: `no exit status from ${spec.on}`, ...detail };
    if (Buffer.byteLength(stdout) > OUTPUT_CAP_BYTES) return { ok: false, latencyMs, error: `output over ${OUTPUT_CAP_BYTES / 1024} KiB`, ...detail };
    if (r.exitCode !== spec.expectExitCode) return { ok: false, latencyMs, error: `exit code ${r.exitCode} (expected ${spec.expectExitCode})`, ...detail };
    if (stdoutRegex && !stdoutRegex.test(stdout)) return { ok: false, latencyMs, error: `stdout does not match /${stdoutRegex.source}/`, ...detail };
    return { ok: true, latencyMs, ...detail };
  } catch (e) {
    // the host is not connected or the connection was lost: a failed check, never a throw
    return { ok: false, latencyMs: performance.now() - started, error: firstLine(errorMessage(e)) };
  } finally {
    clearTimeout(giveUpTimer);
    signal.removeEventListener('abort', onAbort);
  }
}
