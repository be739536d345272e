/** Per-second rates between two scrapes of the same series, with counter resets handled as PromQL does. */
import type { Series } from '../prometheus/series.js';

/** A stable key for a label set, whatever order the page wrote the labels in. */
export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class RateTracker {
  #previous: { atMs: number; values: Map<string, number> } | undefined;

  /**
   * The rate of each series since the previous call, or undefined on the first call (a rate needs
   * two scrapes). For cumulative series (counters), a value lower than before is a restart counted
   * from 0, and a series seen for the first time started at 0 — client libraries create a labelled
   * counter at its first increment, so the first errors appear as a new series. A gauge's rate is
   * its plain change per second, for series seen both times.
   */
  rates(series: readonly Series[], atMs: number, cumulative: boolean): Series[] | undefined {
    const previous = this.#previous;
    this.#previous = { atMs, values: new Map(series.map((s) => [seriesKey(s.labels), s.value])) };
    if (!previous) return undefined;
    const seconds = (atMs - previous.atMs) / 1000;
    if (!(seconds > 0)) return undefined;
    const out: Series[] = [];
    for (const s of series) {
      const before = previous.values.get(seriesKey(s.labels));
      if (!cumulative) {
        if (before !== undefined) out.push({ labels: s.labels, value: (s.value - before) / seconds });
        continue;
      }
      const increase = before === undefined || s.value < before ? s.value : s.value - before;
      out.push({ labels: s.labels, value: increase / seconds });
    }
    return out;
  }
}
