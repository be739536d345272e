/** The run's headline numbers: how fast the fault showed, how fast things healed, how long the undo took. */
import { samplesInWindow } from '../journal/sample-phase.js';
import type { RunMetrics, Sample } from '../journal/types.js';
import { findRecovery } from './recovery.js';

export interface RunMetricsInput {
  samples: readonly Sample[];
  /** when the first fault was injected */
  firstInjectT?: number;
  /** when the last fault was reverted */
  lastRevertT?: number;
  /** when reverting began (kill-switch trip or planned end) */
  revertStartT?: number;
}

/** Computes time to detect, time to recover and revert duration from the samples and fault times. */
export function computeRunMetrics(input: RunMetricsInput): RunMetrics {
  const { firstInjectT, lastRevertT, revertStartT } = input;
  return {
    timeToDetectMs: timeToDetect(input.samples, firstInjectT),
    timeToRecoverMs: timeToRecover(input.samples, firstInjectT, lastRevertT),
    revertDurationMs: lastRevertT !== undefined && revertStartT !== undefined ? lastRevertT - revertStartT : null,
  };
}

/**
 * Injection to the moment a failure was *known*: the end of the first failing check that started at
 * or after injection (a check that starts at once and times out 2 s later detects after 2 s, not 0).
 */
function timeToDetect(samples: readonly Sample[], injectT: number | undefined): number | null {
  if (injectT === undefined) return null;
  let known: number | undefined;
  for (const s of samples) {
    if (s.ok || s.t < injectT) continue;
    const end = s.t + s.latencyMs;
    if (known === undefined || end < known) known = end;
  }
  return known === undefined ? null : Math.round((known - injectT) * 10) / 10;
}

function timeToRecover(samples: readonly Sample[], injectT: number | undefined, revertT: number | undefined): number | null {
  if (injectT === undefined) return null;
  const hurt = new Set(samples.filter((s) => !s.ok && s.t >= injectT).map((s) => s.probe));
  if (hurt.size === 0) return 0;
  // failures after injection and no revert recorded: nothing says the system came back
  if (revertT === undefined) return null;
  let worst = 0;
  for (const probe of hurt) {
    const since = samplesInWindow(samples, probe, { startT: revertT });
    const recovery = findRecovery(since);
    if (!recovery) return null;
    worst = Math.max(worst, recovery.at.t - revertT);
  }
  return worst;
}
