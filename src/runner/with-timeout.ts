/** Runs `work` with its own AbortSignal and gives up after `timeoutMs`, even if the work ignores the signal. */
import type { Clock } from '../clock/clock.js';

export async function withTimeout<T>(clock: Pick<Clock, 'setTimer'>, timeoutMs: number, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let cancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancel = clock.setTimer(() => {
      const error = new Error(`${what} timed out after ${timeoutMs}ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    cancel?.();
  }
}
