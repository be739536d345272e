/** When the fault showed: the first failing sample of each probe after the first injection. */
import { probeReader, probesOf } from '../../journal/sample-index.js';
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
    const r = probeReader(journal.samples, probe);
    let first: Sample | undefined;
    for (let i = r.firstAtOrAfter(fromT); i < r.length && !first; i++) if (!r.ok(i)) first = r.sample(i);
    if (first) byProbe.set(probe, first);
  }
  return [...byProbe.entries()]
    .map(([probe, sample]) => ({ probe, sample, afterInjectMs: sample.t - fromT }))
    .sort((a, b) => a.sample.t - b.sample.t);
}

/** Distinct failure reasons of a probe between two moments, most frequent first: `[['timeout after 1s', 12], ...]`. */
export function failureReasons(journal: Journal, probe: string, fromT: number, toT: number): Array<[string, number]> {
  const counts = new Map<string, number>();
  const r = probeReader(journal.samples, probe);
  for (let i = r.firstAtOrAfter(fromT); i < r.length; i++) {
    if (r.t(i) > toT) break;
    if (r.ok(i)) continue;
    const s = r.sample(i);
    const reason = s.error ?? (s.status === undefined ? 'failed' : `status ${s.status}`);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
