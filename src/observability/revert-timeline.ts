/**
 * FIREDRILL_REVERT_TIMELINE=1: the runner notes what it does around a revert (a probe's command
 * exiting, the trip or the signal, each undo's start and end, each kill sent, the stress worker's
 * exit seen) with the time and the runner's own run-queue wait (how long it was runnable but had no
 * CPU, /proc/self/schedstat), and prints them on stderr at exit, in ms from the trip. Off: one
 * boolean test per mark. Only the newest marks are kept, so a long drill holds no more.
 */
import { readFileSync } from 'node:fs';

const enabled = Boolean(process.env.FIREDRILL_REVERT_TIMELINE);

/** Whether marks are kept (so a caller can skip the work of making one). */
export const timelineEnabled = enabled;
const KEEP = 256;
const marks: { at: number; what: string; runQueueMs: number }[] = [];

function runQueueMs(): number {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'latin1').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** Notes `what` now (only with FIREDRILL_REVERT_TIMELINE set). */
export function mark(what: string): void {
  if (!enabled) return;
  marks.push({ at: performance.now(), what, runQueueMs: runQueueMs() });
  if (marks.length > KEEP) marks.shift();
}

/** `+12.3 trip [rq +0.0]`…: the marks from 50 ms before the first trip or signal on. */
export function formatTimeline(): string {
  const start = marks.find((m) => m.what === 'trip' || m.what.startsWith('signal'));
  if (!start) return '';
  return marks
    .filter((m) => m.at >= start.at - 50)
    .map((m) => `${(m.at - start.at).toFixed(2)} ${m.what} [rq +${(m.runQueueMs - start.runQueueMs).toFixed(1)}]`)
    .join(' | ');
}

if (enabled) process.on('exit', () => process.stderr.write(`revert timeline (ms from the trip; rq: the runner's run-queue wait since): ${formatTimeline()}\n`));
