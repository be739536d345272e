/** The error a failed start of a managed target ends in: what happened and what it printed last. */
import { FiredrillError } from '../../errors.js';

export interface StartFailure {
  target: string;
  /** e.g. `it exited with code 3 before it was ready` */
  reason: string;
  pid?: number;
  exitCode?: number | null;
  signal?: string | null;
  timedOut: boolean;
  /** the last lines it printed, oldest first */
  output: string[];
}

/** Lines quoted in the message; the full tail goes into `details.output`. */
const MESSAGE_LINES = 20;

/** FD_TARGET_START_FAILED with the last output lines in the message. */
export function startFailedError(f: StartFailure, cause?: unknown): FiredrillError {
  const last = f.output.slice(-MESSAGE_LINES);
  const shown = last.length > 0 ? `\nlast output:\n${last.map((l) => `  | ${l}`).join('\n')}` : '\n(it printed nothing)';
  return new FiredrillError(
    'FD_TARGET_START_FAILED',
    `target "${f.target}" did not start: ${f.reason}; check its command, cwd and env (run it by hand to see more)${shown}`,
    { ...f, output: f.output.join('\n') },
    cause === undefined ? undefined : { cause },
  );
}

/** `exited with code 3` / `was killed by SIGSEGV`. */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}
