/** The only place errors become exit codes (documented in the README). */
import type { ErrorCode } from '../errors.js';

export const ExitCode = {
  ok: 0,
  hypothesisViolated: 1,
  invalid: 2,
  aborted: 3,
  refused: 4,
  revertIncomplete: 5,
  injectFailed: 6,
  internal: 70,
} as const;

const BY_ERROR: Record<ErrorCode, number> = {
  FD_USAGE: ExitCode.invalid,
  FD_DRILL_INVALID: ExitCode.invalid,
  FD_DRILL_NOT_FOUND: ExitCode.invalid,
  FD_JOURNAL_INVALID: ExitCode.invalid,
  FD_INVENTORY_INVALID: ExitCode.invalid,
  FD_HOST_UNREACHABLE: ExitCode.refused,
  FD_HOST_KEY_REFUSED: ExitCode.refused,
  FD_ENV_REFUSED: ExitCode.refused,
  FD_TARGET_NOT_FOUND: ExitCode.refused,
  FD_TARGET_LOCKED: ExitCode.refused,
  FD_EMERGENCY_STOP: ExitCode.refused,
  FD_BLAST_RADIUS_EXCEEDED: ExitCode.refused,
  FD_TARGET_START_FAILED: ExitCode.refused,
  FD_STEADY_STATE_FAILED: ExitCode.refused,
  FD_PREFLIGHT_FAILED: ExitCode.refused,
  FD_NOT_CONFIRMED: ExitCode.refused,
  FD_INJECT_FAILED: ExitCode.injectFailed,
  FD_REVERT_FAILED: ExitCode.revertIncomplete,
  FD_RECOVERY_BUSY: ExitCode.revertIncomplete,
  FD_INTERNAL: ExitCode.internal,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_ERROR[code];
}

/** The exit codes as `firedrill --help` lists them (the README's table says the same). */
export const EXIT_CODES_HELP = `Exit codes:
  0   all expectations held; every fault reverted
  1   hypothesis violated: at least one expectation missed; every fault reverted
  2   invalid drill or usage (also an unknown command); nothing injected
  3   aborted by the kill switch or the operator; every fault reverted
  4   preflight refused (environment, targets, blast radius, steady state, report directory, confirmation); nothing injected
  5   REVERT INCOMPLETE: something may still be broken; the message and the report say how to undo it by hand
  6   injection failed: a fault could not be put in place (e.g. its inject command failed); the hypothesis was not tested; everything injected was reverted
  70  internal error (faults reverted)`;
