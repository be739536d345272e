/** Moments of a run as people read them: offsets from the run's start, and the wall clock. */
import { formatDurationMs } from './duration.js';

/** Time since run start: `+13.01s` (a negative offset reads as the start). */
export function formatRelative(t: number): string {
  return `+${formatDurationMs(Math.max(0, t))}`;
}

/** Wall-clock time of a run-relative moment, ISO 8601; the start itself when it does not parse. */
export function clockAt(startedAt: string, t: number): string {
  const start = Date.parse(startedAt);
  return Number.isNaN(start) ? startedAt : new Date(start + t).toISOString();
}
