/** When the fault showed: the first failing sample of each probe after the first injection. */
import { firstAtOrAfter, probesOf, samplesOfProbe } from '../../journal/sample-index.js';
import type { Journal, Sample } from '../../journal/types.js';

export interface Onset {
  probe: string;
  sample: Sample;
  /** from the first injection to this sample */
  afterInjectMs: number;
}

/** First failing sample per probe at or after `fromT`, earliest probe first. */
export function firstFailures(journal: Journal, fromT: number): Onset[] {
  const byProbe = new Map<string, Sample>();
  for (const probe of probesOf(journal.samples)) {
    const sorted = samplesOfProbe(journal.samples, probe);
    let first: Sample | undefined;
    for (let i = firstAtOrAfter(sorted, fromT); i < sorted.length && !first; i++) if (!(sorted[i] as Sample).ok) first = sorted[i];
    if (first) byProbe.set(probe, first);
  }
  return [...byProbe.entries()]
    .map(([probe, sample]) => ({ probe, sample, afterInjectMs: sample.t - fromT }))
    .sort((a, b) => a.sample.t - b.sample.t);
}

/** Distinct failure reasons of a probe between two moments, most frequent first: `[['timeout after 1s', 12], ...]`. */
export function failureReasons(journal: Journal, probe: string, fromT: number, toT: number): Array<[string, number]> {
  const counts = new Map<string, number>();
  const sorted = samplesOfProbe(journal.samples, probe);
  for (let i = firstAtOrAfter(sorted, fromT); i < sorted.length; i++) {
    const s = sorted[i] as Sample;
    if (s.t > toT) break;
    if (s.ok) continue;
    const reason = s.error ?? (s.status === undefined ? 'failed' : `status ${s.status}`);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
