/**
 * The part of the clock the fault proxy uses (see clock/clock.ts): toxics are timed on it. The
 * proxy's real clock keeps fractional milliseconds: its timers come from the process's one
 * due-time queue (due-queue.ts), not from Node's whole-millisecond `setTimeout`.
 */
import type { Clock as FullClock } from '../../../clock/clock.js';
import { DueQueue } from './due-queue.js';

export type Clock = Pick<FullClock, 'now' | 'setTimer'> & {
  /** Runs the timers that are due now, ahead of their wake-up (called when data arrives anyway). */
  runDue?(): void;
};

let shared: DueQueue | undefined;

/** Starts the timer thread now, so the first fault does not wait for it (the proxy host calls this). */
export function prepareSystemClock(): void {
  shared ??= new DueQueue();
  shared.prepare();
}

/** `performance.now()`, and timers from the process's one due-time queue. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    shared ??= new DueQueue();
    return shared.add(fn, performance.now() + Math.max(0, ms));
  },
  runDue: () => shared?.runDue(),
};
