/** The run's headline numbers: how fast the fault showed, how fast things healed, how long the undo took. */
import { probesOf, samplesOfProbe } from '../journal/sample-index.js';
import { SampleTable, type ProbeSampleColumns } from '../journal/sample-table.js';
import { samplesInWindow } from '../journal/sample-phase.js';
import type { RunMetrics, Sample, SampleSet } from '../journal/types.js';
import { findRecovery } from './recovery.js';

export interface RunMetricsInput {
  samples: SampleSet;
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
function timeToDetect(samples: SampleSet, injectT: number | undefined): number | null {
  if (injectT === undefined) return null;
  let known: number | undefined;
  const see = (ok: boolean, t: number, latencyMs: number) => {
    if (ok || t < injectT) return;
    const end = t + latencyMs;
    if (known === undefined || end < known) known = end;
  };
  if (samples instanceof SampleTable) {
    // straight from the columns: no object per sample
    for (const probe of samples.probes()) {
      const c = samples.columns(probe) as ProbeSampleColumns;
      for (let i = 0; i < c.length; i++) see(c.ok[i] === 1, c.tAt(i), c.latencyAt(i));
    }
  } else for (const s of samples) see(s.ok, s.t, s.latencyMs);
  return known === undefined ? null : Math.round((known - injectT) * 10) / 10;
}

function timeToRecover(samples: SampleSet, injectT: number | undefined, revertT: number | undefined): number | null {
  if (injectT === undefined) return null;
  const hurt = new Set(probesOf(samples).filter((probe) => failedSince(samples, probe, injectT)));
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

/** Whether a probe has a failed sample that started at or after `t`. */
function failedSince(samples: SampleSet, probe: string, t: number): boolean {
  if (!(samples instanceof SampleTable)) return samplesOfProbe(samples, probe).some((s: Sample) => !s.ok && s.t >= t);
  const c = samples.columns(probe);
  if (!c) return false;
  for (let i = c.firstAtOrAfter(t); i < c.length; i++) if (c.ok[i] === 0) return true;
  return false;
}
