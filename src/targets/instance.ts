/** Builds the `TargetInstance` record shared by resolved and runner-managed targets. */
import type { TargetInstance } from './contract.js';

/** Longest command line kept in plans, journals and reports. */
export const COMMAND_MAX_CHARS = 200;

/** Cuts a command line to `COMMAND_MAX_CHARS`, marking the cut with an ellipsis. */
export function truncateCommand(cmdline: string): string {
  return cmdline.length <= COMMAND_MAX_CHARS ? cmdline : `${cmdline.slice(0, COMMAND_MAX_CHARS - 1)}…`;
}

/** A target instance for one process. */
export function toInstance(p: { id: string; pid: number; startTime: string; cmdline: string; managed: boolean }): TargetInstance {
  return { id: p.id, pid: p.pid, startTime: p.startTime, command: truncateCommand(p.cmdline), managed: p.managed };
}
