import { describe, expect, it } from 'vitest';
import { lastSampleT, sampleIndex, samplesOfProbe, timeSlice } from './sample-index.js';
import { samplesOfPhase } from './sample-phase.js';
import type { PhaseRecord, Sample } from './types.js';

const s = (probe: string, t: number, ok = true): Sample => ({ probe, t, phase: 'baseline', ok, latencyMs: 1 });

describe('the sample index', () => {
  it('groups by probe and sorts each by time, keeping the recorded order of equal times', () => {
    const a1 = s('a', 5);
    const a2 = s('a', 5, false);
    const samples = [s('b', 3), a1, s('a', 1), a2];
    const index = sampleIndex(samples);
    expect(index.probes).toEqual(['b', 'a']);
    expect(index.byProbe.get('a')?.map((x) => x.t)).toEqual([1, 5, 5]);
    expect(index.byProbe.get('a')?.slice(1)).toEqual([a1, a2]);
    expect(index.all.map((x) => x.t)).toEqual([1, 3, 5, 5]);
  });

  it('is built again when the array grew since (the runner appends while it runs)', () => {
    const samples = [s('a', 1)];
    expect(samplesOfProbe(samples, 'a')).toHaveLength(1);
    samples.push(s('a', 2));
    expect(samplesOfProbe(samples, 'a')).toHaveLength(2);
    expect(lastSampleT(samples)).toBe(2);
    samples[1] = s('a', 7);
    expect(lastSampleT(samples)).toBe(7);
  });

  it('slices by start time: from inclusive, to exclusive', () => {
    const sorted = [1, 2, 2, 3, 4].map((t) => s('a', t));
    expect(timeSlice(sorted, 2, 4).map((x) => x.t)).toEqual([2, 2, 3]);
    expect(timeSlice(sorted, 2.5, undefined).map((x) => x.t)).toEqual([3, 4]);
    expect(timeSlice(sorted, 9, 10)).toEqual([]);
  });

  it('gives samplesOfPhase the same samples as a scan, for a phase that ran twice too', () => {
    const phases: PhaseRecord[] = [
      { name: 'baseline', startT: 0, endT: 10, plannedMs: 10 },
      { name: 'fault', startT: 10, endT: 20, plannedMs: 10 },
      { name: 'baseline', startT: 20, plannedMs: 10 },
    ];
    const samples = [25, 3, 10, 9.9, 19.9, 20, 40].flatMap((t) => [s('a', t), s('b', t + 0.05)]);
    const scan = (name: string, probe?: string) =>
      samples
        .filter((x) => (probe === undefined || x.probe === probe) && phases.some((p) => p.name === name && x.t >= p.startT && (p.endT === undefined || x.t < p.endT)))
        .sort((x, y) => x.t - y.t);
    for (const name of ['baseline', 'fault'] as const) {
      expect(samplesOfPhase(samples, phases, name, 'a')).toEqual(scan(name, 'a'));
      expect(samplesOfPhase(samples, phases, name)).toEqual(scan(name));
    }
  });
});
