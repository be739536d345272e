/** Samples that should be there and are not: long gaps between checks, phases a probe never saw. */
import { samplesOfPhase } from '../../journal/sample-phase.js';
import { probeReader } from '../../journal/sample-index.js';
import { probeTimeoutMs } from '../../drill/probe-timeout.js';
import type { PhaseName } from '../../drill/schema.js';
import type { Journal } from '../../journal/types.js';

export interface SampleGap {
  probe: string;
  /** start of the last check before the gap */
  fromT: number;
  /** start of the first check after it (or the end of the probing window) */
  toT: number;
  phase?: PhaseName;
}

export interface SilentPhase {
  probe: string;
  phase: PhaseName;
  durationMs: number;
}

/**
 * Gaps longer than one interval plus the probe timeout plus one more interval. A check that times
 * out may legitimately delay the next one by up to its timeout; anything beyond a further whole
 * interval means a check that should have run did not.
 */
export function sampleGaps(journal: Journal): SampleGap[] {
  const gaps: SampleGap[] = [];
  for (const [probe, spec] of Object.entries(journal.drill.spec.probes)) {
    const timeoutMs = probeTimeoutMs(spec);
    const allowedMs = 2 * spec.interval + timeoutMs;
    const r = probeReader(journal.samples, probe);
    for (let i = 1; i < r.length; i++) {
      if (r.t(i) - r.t(i - 1) <= allowedMs) continue;
      gaps.push({ probe, fromT: r.t(i - 1), toT: r.t(i), phase: r.phase(i) });
    }
  }
  return gaps.sort((a, b) => a.fromT - b.fromT);
}

/** Phases (baseline, fault, recovery) that ran for a while without a single sample of a probe. */
export function silentPhases(journal: Journal): SilentPhase[] {
  const silent: SilentPhase[] = [];
  for (const [probe, spec] of Object.entries(journal.drill.spec.probes)) {
    for (const phase of journal.phases) {
      if (phase.name === 'preflight') continue;
      const durationMs = (phase.endT ?? phase.startT) - phase.startT;
      if (durationMs < 2 * spec.interval) continue;
      if (samplesOfPhase(journal.samples, [phase], phase.name, probe).length === 0) silent.push({ probe, phase: phase.name, durationMs });
    }
  }
  return silent;
}

export interface SchedulingLag {
  probe: string;
  intervalMs: number;
  /** how many times two checks started more than twice the interval apart with a quick check between */
  count: number;
  /** the longest such gap between two starts */
  worstGapMs: number;
  /** start of the check before the worst gap */
  worstT: number;
}

/**
 * Probe scheduling that lagged: two checks started more than twice the interval apart although the
 * first one was done well before the second was due (its own latency does not explain the gap). The
 * runner or its host was too busy to keep the schedule.
 */
export function schedulingLags(journal: Journal): SchedulingLag[] {
  const lags: SchedulingLag[] = [];
  for (const [probe, spec] of Object.entries(journal.drill.spec.probes)) {
    const r = probeReader(journal.samples, probe);
    let lag: SchedulingLag | undefined;
    for (let i = 1; i < r.length; i++) {
      const prevT = r.t(i - 1);
      const gap = r.t(i) - prevT;
      if (gap <= 2 * spec.interval || gap - Math.max(spec.interval, r.latencyMs(i - 1)) <= spec.interval) continue;
      lag ??= { probe, intervalMs: spec.interval, count: 0, worstGapMs: 0, worstT: prevT };
      lag.count++;
      if (gap > lag.worstGapMs) Object.assign(lag, { worstGapMs: gap, worstT: prevT });
    }
    if (lag) lags.push(lag);
  }
  return lags.sort((a, b) => b.worstGapMs - a.worstGapMs);
}
