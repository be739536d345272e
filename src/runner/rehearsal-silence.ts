/**
 * A rehearsal runs with the no-data guard off (nothing is injected, so there is nothing to stop),
 * but the real run would stop the moment a probe stays silent past its limit. This says, from the
 * journal alone, where that would have happened: per probe, the longest time without a result
 * (a check's result arrives at its start plus its latency) between the probes' start and the end
 * of the last phase. Pure.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { ProbeSpec } from '../drill/schema.js';
import { samplesOfProbe } from '../journal/sample-index.js';
import type { SampleSet } from '../journal/types.js';
import { noDataDeadlineMs } from './kill-switch.js';

export interface Silence {
  probe: string;
  /** the longest time without a result, ms */
  silentMs: number;
  /** when that silence began, ms since the run started */
  fromT: number;
  limitMs: number;
}

/** Probes whose longest silence in [fromT, toT] is past their no-data limit. */
export function silencesPastLimit(probes: Readonly<Record<string, ProbeSpec>>, intervals: number, samples: SampleSet, fromT: number, toT: number): Silence[] {
  const found: Silence[] = [];
  for (const [name, probe] of Object.entries(probes)) {
    const limitMs = noDataDeadlineMs(probe, intervals);
    const results = samplesOfProbe(samples, name)
      .map((s) => s.t + Math.max(0, s.latencyMs))
      .filter((t) => t >= fromT && t <= toT)
      .sort((a, b) => a - b);
    let last = fromT;
    let longest = { silentMs: 0, fromT };
    for (const at of [...results, toT]) {
      if (at - last > longest.silentMs) longest = { silentMs: at - last, fromT: last };
      last = Math.max(last, at);
    }
    if (longest.silentMs > limitMs) found.push({ probe: name, ...longest, limitMs });
  }
  return found;
}

export function describeSilence(s: Silence): string {
  return `probe ${s.probe} produced no result for ${formatDurationMs(s.silentMs)} from ${formatDurationMs(s.fromT)} (its no-data limit is ${formatDurationMs(s.limitMs)})`;
}
