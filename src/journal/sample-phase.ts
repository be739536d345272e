/**
 * The one rule for which phase a sample belongs to, used by the runner, the verdict and every
 * report: the phase its check *started* in, `startT <= t < endT` (a phase still running has no end
 * yet). A check that started after one phase ended and before the next began (while the faults
 * were being reverted) belongs to neither.
 */
import { allSamples, probeSlice, samplesOfProbe, timeSlice } from './sample-index.js';
import type { JournalPhaseName, PhaseRecord, Sample, SampleSet } from './types.js';

/** Whether a check that started at run time `t` belongs to `phase`. */
export function startedIn(t: number, phase: Pick<PhaseRecord, 'startT'> & { endT?: number | undefined }): boolean {
  return t >= phase.startT && (phase.endT === undefined || t < phase.endT);
}

/** The phase a check that started at `t` belongs to, or undefined between phases. */
export function phaseAt(phases: readonly PhaseRecord[], t: number): JournalPhaseName | undefined {
  for (let i = phases.length - 1; i >= 0; i--) {
    const p = phases[i];
    if (p && startedIn(t, p)) return p.name;
  }
  return undefined;
}

/** The samples (optionally of one probe) that belong to the phase named `name`, by the rule above, in time order. */
export function samplesOfPhase(samples: SampleSet, phases: readonly PhaseRecord[], name: JournalPhaseName, probe?: string): Sample[] {
  const windows = phases.filter((p) => p.name === name).sort((a, b) => a.startT - b.startT);
  if (windows.length === 1 && probe !== undefined) return probeSlice(samples, probe, (windows[0] as PhaseRecord).startT, (windows[0] as PhaseRecord).endT);
  const sorted = probe === undefined ? allSamples(samples) : samplesOfProbe(samples, probe);
  if (windows.length === 1) return timeSlice(sorted, (windows[0] as PhaseRecord).startT, (windows[0] as PhaseRecord).endT);
  return sorted.filter((s) => windows.some((w) => startedIn(s.t, w)));
}

/** One probe's samples with `phase.startT <= t < phase.endT`, in time order. */
export function samplesInWindow(samples: SampleSet, probe: string, window: { startT: number; endT?: number | undefined }): Sample[] {
  return probeSlice(samples, probe, window.startT, window.endT === undefined || window.endT === Number.POSITIVE_INFINITY ? undefined : window.endT);
}
