/** When a probe counts as healthy again; shared by the recoversWithin expectation and timeToRecover. */
import type { Sample } from '../journal/types.js';

/** ok samples in a row that make a probe count as recovered */
export const RECOVERY_STREAK = 3;

export interface Recovery {
  /** the first sample of the healthy streak */
  at: Sample;
  /** how many ok samples the streak had when it counted (fewer than RECOVERY_STREAK at the end of the data) */
  streak: number;
  /** the last failed sample before `at` */
  lastFailure?: Sample;
}

/**
 * The first of RECOVERY_STREAK ok samples in a row in `samples` (sorted by `t`). Near the end, where
 * fewer samples remain, all remaining must be ok. Undefined when the probe never got there.
 */
export function findRecovery(samples: readonly Sample[]): Recovery | undefined {
  let runStart = -1;
  let lastFailure: Sample | undefined;
  let failureBeforeRun: Sample | undefined;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as Sample;
    if (!s.ok) {
      runStart = -1;
      lastFailure = s;
      continue;
    }
    if (runStart < 0) {
      runStart = i;
      failureBeforeRun = lastFailure;
    }
    if (i - runStart + 1 >= RECOVERY_STREAK) return recovery(samples[runStart] as Sample, RECOVERY_STREAK, failureBeforeRun);
  }
  if (runStart < 0) return undefined;
  return recovery(samples[runStart] as Sample, samples.length - runStart, failureBeforeRun);
}

function recovery(at: Sample, streak: number, lastFailure: Sample | undefined): Recovery {
  return lastFailure ? { at, streak, lastFailure } : { at, streak };
}
