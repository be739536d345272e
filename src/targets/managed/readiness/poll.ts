/** Readiness checks that retry one attempt until it succeeds or the signal aborts. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadinessCheck } from './check.js';

/** One try: `undefined` when ready, else why not (e.g. `connect ECONNREFUSED`). Must honour the signal. */
export type Attempt = (signal: AbortSignal) => Promise<string | undefined>;

const ATTEMPT_TIMEOUT_MS = 1000;

/** A check that runs `attempt` every `intervalMs`, each attempt bounded by a second. */
export function polledCheck(label: string, attempt: Attempt, intervalMs = 100): ReadinessCheck {
  let problem: string | undefined;
  const once = async (signal: AbortSignal): Promise<string | undefined> => {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
    try {
      return await attempt(bounded);
    } catch (e) {
      signal.throwIfAborted();
      return e instanceof Error ? e.message : String(e);
    }
  };
  return {
    label,
    lastProblem: () => problem,
    async wait(signal) {
      // ends when an attempt succeeds or the caller's signal (which always carries the ready timeout) aborts
      while (!signal.aborted) {
        problem = await once(signal);
        if (problem === undefined) return;
        await sleep(intervalMs, undefined, { signal });
      }
      signal.throwIfAborted();
    },
    async answersAlready(signal) {
      return (await once(signal)) === undefined;
    },
  };
}
