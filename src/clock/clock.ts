/**
 * Time comes from a clock object so timing logic is tested without sleeping (see manual-clock.ts).
 * Every timer of the runner, the kill switch, the rollback stack and the fault proxy goes through
 * one of these; nothing there calls setTimeout itself.
 */

export interface Clock {
  /** monotonic milliseconds, fractional */
  now(): number;
  /** wall-clock time, for timestamps people read */
  date(): Date;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
  /** resolves after `ms`, or rejects with the signal's reason when it aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A sleep built on a clock's own timers, so a manual clock's sleeps move with it. */
export function sleepOn(setTimer: Clock['setTimer'], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock: `performance.now()`, `new Date()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  sleep: (ms, signal) => sleepOn(systemClock.setTimer, ms, signal),
};

/** Sleeps, but resolves (instead of rejecting) when the signal aborts; returns whether it slept fully. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
