/** The command probe: run a command, check its exit code and optionally its stdout. */
import { mark, timelineEnabled } from '../../observability/revert-timeline.js';
import type { ProbeSpec } from '../../drill/schema.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { compilePattern } from '../pattern.js';
import { firstLine, shortReason, timeoutReason } from '../reason.js';
import { terminateGroup } from './terminate-group.js';
import { commandText } from '../../values/command-text.js';
import { remoteCheck } from './remote-check.js';

export type CommandProbeSpec = NonNullable<ProbeSpec['command']>;

/** SIGTERM → SIGKILL delay; a probe has to answer about on time, so this is short. */
export const KILL_GRACE_MS = 500;
/** Extra wait after SIGKILL; past it a descendant that left the group still holds the output open. */
const ABANDON_AFTER_MS = 500;
const OUTPUT_CAP_BYTES = 64 * 1024;

type Outcome = Omit<ProbeResult, 'latencyMs'>;

/** Runs the command once; resolves within about `timeoutMs` (+ kill grace) and never rejects. */
async function check(spec: CommandProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  if (signal.aborted) return { ok: false, latencyMs: 0, error: 'aborted' };
  const pattern = spec.stdoutMatch === undefined ? undefined : compilePattern(spec.stdoutMatch, 'stdoutMatch');
  if (pattern && !pattern.ok) return { ok: false, latencyMs: 0, error: pattern.error };
  if (spec.on !== undefined) return remoteCheck({ run: spec.run, on: spec.on, expectExitCode: spec.expectExitCode }, pattern?.regex, { timeoutMs, signal });

  const [file, ...args] = typeof spec.run === 'string' ? [spec.run] : spec.run;
  // loaded on first use: `validate` and `plan` need the probe's schema, not execa's hundred modules
  const { execa } = await import('execa');
  const started = performance.now();
  let subprocess;
  try {
    subprocess = execa(file ?? '', args, {
      shell: typeof spec.run === 'string',
      // its own process group, so a timeout can end the whole tree (see terminate-group.ts)
      detached: true,
      reject: false,
      stdin: 'ignore',
      maxBuffer: OUTPUT_CAP_BYTES,
    });
  } catch (error) {
    // execa validates its arguments synchronously (an empty command, for one)
    return { ok: false, latencyMs: 0, error: `cannot run: ${shortReason(error)}` };
  }

  const pid = subprocess.pid;
  // the condition is met when the command exits; the runner sees it once execa has its output
  if (timelineEnabled) subprocess.once('exit', () => mark('probe command exited'));
  let stopReason: string | undefined;
  let giveUp = (): void => {};
  const abandoned = new Promise<undefined>((resolve) => {
    giveUp = () => resolve(undefined);
  });
  let abandonTimer: NodeJS.Timeout | undefined;
  const stop = (reason: string): void => {
    if (stopReason !== undefined) return;
    stopReason = reason;
    if (pid !== undefined) terminateGroup(pid, KILL_GRACE_MS);
    abandonTimer = setTimeout(giveUp, KILL_GRACE_MS + ABANDON_AFTER_MS);
  };
  const timer = setTimeout(() => stop(timeoutReason(timeoutMs)), timeoutMs);
  const onAbort = (): void => stop('aborted');
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    const result = await Promise.race([subprocess, abandoned]);
    const latencyMs = performance.now() - started;
    if (timelineEnabled) mark('probe result');
    if (stopReason !== undefined || result === undefined) {
      return { ok: false, latencyMs, error: stopReason ?? 'stopped', ...detailOf(result) };
    }
    return { ...judge(result, spec.expectExitCode, pattern?.regex), latencyMs };
  } catch (error) {
    // reject: false means execa should not get here; the contract still says "never throws"
    return { ok: false, latencyMs: performance.now() - started, error: shortReason(error) };
  } finally {
    clearTimeout(timer);
    clearTimeout(abandonTimer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** The parts of execa's result the verdict reads. */
interface CommandResult {
  exitCode?: number;
  signal?: string;
  code?: string;
  originalMessage?: string;
  isMaxBuffer: boolean;
  stdout: unknown;
  stderr: unknown;
}

/** Decides a finished run: could it start, how did it end, and does its stdout match. */
function judge(result: CommandResult, expectExitCode: number, stdoutRegex: RegExp | undefined): Outcome {
  const detail = detailOf(result);
  if (result.exitCode === undefined) {
    if (result.signal !== undefined) return { ok: false, error: `killed by ${result.signal}`, ...detail };
    return { ok: false, error: `cannot run: ${result.code ?? shortReason(result.originalMessage)}`, ...detail };
  }
  if (result.isMaxBuffer) return { ok: false, error: `output over ${OUTPUT_CAP_BYTES / 1024} KiB`, ...detail };
  if (result.exitCode !== expectExitCode) {
    return { ok: false, error: `exit code ${result.exitCode} (expected ${expectExitCode})`, ...detail };
  }
  if (stdoutRegex && !stdoutRegex.test(text(result.stdout))) {
    return { ok: false, error: `stdout does not match /${stdoutRegex.source}/`, ...detail };
  }
  return { ok: true, ...detail };
}

/** The first stdout line; the first stderr line when stdout is empty (that is where failures speak). */
function detailOf(result: CommandResult | undefined): { detail?: string } {
  if (!result) return {};
  const line = firstLine(text(result.stdout)) || firstLine(text(result.stderr));
  return line === '' ? {} : { detail: line };
}

function text(output: unknown): string {
  return typeof output === 'string' ? output : '';
}

export const commandProber: Prober<CommandProbeSpec> = {
  kind: 'command',
  describe: (p) => `run${p.on !== undefined ? ` on ${p.on}` : ''}: ${commandText(p.run)}; expecting exit ${p.expectExitCode}${p.stdoutMatch === undefined ? '' : ` and stdout matching /${p.stdoutMatch}/`}`,
  check,
};
