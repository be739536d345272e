/**
 * Typed errors. Each has a stable `code`, a message that says what to do, and structured fields.
 * Only the CLI entry turns them into exit codes (see cli/exit-codes.ts).
 */

export type ErrorCode =
  | 'FD_USAGE'
  | 'FD_DRILL_INVALID'
  | 'FD_DRILL_NOT_FOUND'
  | 'FD_ENV_REFUSED'
  | 'FD_TARGET_NOT_FOUND'
  | 'FD_TARGET_LOCKED'
  | 'FD_EMERGENCY_STOP'
  | 'FD_BLAST_RADIUS_EXCEEDED'
  | 'FD_TARGET_START_FAILED'
  | 'FD_STEADY_STATE_FAILED'
  | 'FD_PREFLIGHT_FAILED'
  | 'FD_NOT_CONFIRMED'
  | 'FD_INJECT_FAILED'
  | 'FD_REVERT_FAILED'
  | 'FD_JOURNAL_INVALID'
  | 'FD_INVENTORY_INVALID'
  | 'FD_HOST_UNREACHABLE'
  | 'FD_HOST_KEY_REFUSED'
  | 'FD_RECOVERY_BUSY'
  | 'FD_INTERNAL';

export class FiredrillError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FiredrillError';
    this.code = code;
    this.details = details;
  }
}

/** One positioned validation problem: `file:line:col: message [code]`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
  code: string;
  severity: 'error' | 'warning';
}

export class DrillInvalidError extends FiredrillError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super('FD_DRILL_INVALID', `the drill has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, { problems });
    this.problems = problems;
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message} [${p.code}]`;
}

export function isFiredrillError(e: unknown): e is FiredrillError {
  return e instanceof FiredrillError;
}

/** A short, safe message for anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
