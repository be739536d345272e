/**
 * A journal's samples grouped by probe and sorted by time, built once per sample array: the
 * verdict and every report ask "the samples of probe P in phase X" many times, and a scan of a
 * one-hour journal (288 000 samples) for each question was most of the time a report took.
 *
 * Built lazily and remembered per array (a WeakMap, so it goes with the array). An array that grew
 * or changed at either end since (the runner appends while it runs) is indexed again.
 */
import { SampleTable, type ProbeSampleColumns } from './sample-table.js';
import type { Sample, SampleSet } from './types.js';

export interface SampleIndex {
  /** probe names in order of their first sample */
  probes: string[];
  /** each probe's samples sorted by `t` (stable: same-time samples keep their recorded order) */
  byProbe: Map<string, Sample[]>;
  /** every sample sorted by `t` (stable) */
  all: readonly Sample[];
}

interface Memo {
  length: number;
  first: Sample | undefined;
  last: Sample | undefined;
  index: SampleIndex;
}

const memo = new WeakMap<readonly Sample[], Memo>();

/** The index of a sample array (built on first use, then remembered while the array is unchanged). */
export function sampleIndex(samples: readonly Sample[]): SampleIndex {
  const seen = memo.get(samples);
  if (seen && seen.length === samples.length && seen.first === samples[0] && seen.last === samples[samples.length - 1]) return seen.index;
  const index = buildIndex(samples);
  memo.set(samples, { length: samples.length, first: samples[0], last: samples[samples.length - 1], index });
  return index;
}

/** Remembers an index built elsewhere (the decoder has each probe's sorted samples at hand). */
export function primeSampleIndex(all: readonly Sample[], byProbe: Map<string, Sample[]>): void {
  const index: SampleIndex = { probes: [...byProbe.keys()], byProbe, all };
  memo.set(all, { length: all.length, first: all[0], last: all[all.length - 1], index });
}

function buildIndex(samples: readonly Sample[]): SampleIndex {
  const byProbe = new Map<string, Sample[]>();
  let sorted = true;
  let previousT = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    if (s.t < previousT) sorted = false;
    previousT = s.t;
    const list = byProbe.get(s.probe);
    if (list) list.push(s);
    else byProbe.set(s.probe, [s]);
  }
  for (const list of byProbe.values()) if (!isSorted(list)) list.sort((a, b) => a.t - b.t);
  return { probes: [...byProbe.keys()], byProbe, all: sorted ? samples : [...samples].sort((a, b) => a.t - b.t) };
}

function isSorted(list: readonly Sample[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i] as Sample).t < (list[i - 1] as Sample).t) return false;
  return true;
}

/**
 * The last probes a table was asked for, as objects: the reports ask for the same probe a few
 * times in a row. Two of them, never all: every probe's objects at once is what the columns avoid.
 */
const recent = new WeakMap<SampleTable, { probe: string; samples: Sample[] }[]>();
const RECENT_PROBES = 2;

/** One probe's samples sorted by time (empty when it has none); from a table, made as objects now. */
export function samplesOfProbe(samples: SampleSet, probe: string): readonly Sample[] {
  if (!(samples instanceof SampleTable)) return sampleIndex(samples).byProbe.get(probe) ?? [];
  const seen = recent.get(samples) ?? [];
  const hit = seen.find((r) => r.probe === probe);
  if (hit && hit.samples.length === (samples.columns(probe)?.length ?? 0)) return hit.samples;
  const made = samples.columns(probe)?.samples() ?? [];
  recent.set(samples, [{ probe, samples: made }, ...seen.filter((r) => r.probe !== probe)].slice(0, RECENT_PROBES));
  return made;
}

/** One probe's samples in time order, read field by field: from a table, no object per sample. */
export interface ProbeReader {
  readonly length: number;
  t(i: number): number;
  ok(i: number): boolean;
  latencyMs(i: number): number;
  phase(i: number): Sample['phase'];
  value(i: number): number | undefined;
  /** the whole sample at `i`, as an object (for the few a report names) */
  sample(i: number): Sample;
  /** the first position whose `t` is at least `t` */
  firstAtOrAfter(t: number): number;
}

const NO_SAMPLES: readonly Sample[] = [];

/** A reader of one probe's samples (empty when it has none). */
export function probeReader(samples: SampleSet, probe: string): ProbeReader {
  if (samples instanceof SampleTable) {
    const c = samples.columns(probe);
    if (c) {
      return {
        length: c.length,
        t: (i) => c.tAt(i),
        ok: (i) => c.ok[i] === 1,
        latencyMs: (i) => c.latencyAt(i),
        phase: (i) => c.phaseAt(i),
        value: (i) => c.valueAt(i),
        sample: (i) => c.sample(i),
        firstAtOrAfter: (t) => c.firstAtOrAfter(t),
      };
    }
  }
  const list = samples instanceof SampleTable ? NO_SAMPLES : (sampleIndex(samples).byProbe.get(probe) ?? NO_SAMPLES);
  const at = (i: number) => list[i] as Sample;
  return {
    length: list.length,
    t: (i) => at(i).t,
    ok: (i) => at(i).ok,
    latencyMs: (i) => at(i).latencyMs,
    phase: (i) => at(i).phase,
    value: (i) => at(i).value,
    sample: at,
    firstAtOrAfter: (t) => firstAtOrAfter(list, t),
  };
}

/** Probe names in order of their first sample. */
export function probesOf(samples: SampleSet): string[] {
  return samples instanceof SampleTable ? samples.probes() : sampleIndex(samples).probes;
}

/** How many samples there are. */
export function sampleCount(samples: SampleSet): number {
  return samples.length;
}

/** A probe's samples with `fromT <= t < toT` (toT undefined: to the end), in time order; from a table only that part is made. */
export function probeSlice(samples: SampleSet, probe: string, fromT: number, toT: number | undefined): Sample[] {
  if (!(samples instanceof SampleTable)) return timeSlice(sampleIndex(samples).byProbe.get(probe) ?? [], fromT, toT);
  const columns: ProbeSampleColumns | undefined = samples.columns(probe);
  if (!columns) return [];
  const from = columns.firstAtOrAfter(fromT);
  const to = toT === undefined ? columns.length : columns.firstAtOrAfter(toT);
  return columns.samples(from, Math.max(from, to));
}

/** Every sample sorted by time (stable); from a table, every one made as an object: for small sets (a preflight). */
export function allSamples(samples: SampleSet): readonly Sample[] {
  return samples instanceof SampleTable ? samples.toArray() : sampleIndex(samples).all;
}

/**
 * Whether some sample of some probe passes `test`; a table is looked at one sample at a time, each
 * made as an object only for the test (a probe's objects all at once outlived the young generation).
 */
export function someSample(samples: SampleSet, test: (s: Sample) => boolean): boolean {
  if (!(samples instanceof SampleTable)) return samples.some(test);
  for (const probe of samples.probes()) {
    const c = samples.columns(probe);
    if (c) for (let i = 0; i < c.length; i++) if (test(c.sample(i))) return true;
  }
  return false;
}

/** The first position in `sorted` whose `t` is at least `t` (binary search). */
export function firstAtOrAfter(sorted: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Sample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The samples of `sorted` with `fromT <= t < toT` (toT undefined: to the end), in time order. */
export function timeSlice(sorted: readonly Sample[], fromT: number, toT: number | undefined): Sample[] {
  const from = firstAtOrAfter(sorted, fromT);
  const to = toT === undefined ? sorted.length : firstAtOrAfter(sorted, toT);
  return sorted.slice(from, Math.max(from, to));
}

/** The latest sample start time, or 0 without samples (no spread of a huge array into Math.max). */
export function lastSampleT(samples: SampleSet): number {
  if (samples instanceof SampleTable) return samples.lastT();
  const all = sampleIndex(samples).all;
  return all.length === 0 ? 0 : (all[all.length - 1] as Sample).t;
}
