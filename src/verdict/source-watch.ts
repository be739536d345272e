/**
 * The always-on fail-safe for value probes: every prometheus, scrape and alert probe gets a
 * watch on its source, whatever the drill's kill switch says. Pure: fed samples, returns trips.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { ProbeSpec } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { SourceUnreachableTracker } from './trackers/source-unreachable.js';
import type { Trip } from './trackers/tracker.js';

/** The kind of metrics source a probe reads and its grace period, for value probes. */
export function metricsSourceOf(probe: ProbeSpec): { source: string; graceMs: number } | undefined {
  if (probe.prometheus) return { source: 'Prometheus', graceMs: probe.prometheus.grace };
  if (probe.scrape) return { source: '/metrics', graceMs: probe.scrape.grace };
  if (probe.alert) return { source: probe.alert.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus', graceMs: probe.alert.grace };
  return undefined;
}

export class SourceWatch {
  readonly #trackers = new Map<string, SourceUnreachableTracker>();

  constructor(probes: Readonly<Record<string, ProbeSpec>>) {
    for (const [name, probe] of Object.entries(probes)) {
      const source = metricsSourceOf(probe);
      if (!source) continue;
      const condition = `${name}: ${source.source} source unreachable for ${formatDurationMs(source.graceMs)}`;
      this.#trackers.set(name, new SourceUnreachableTracker(condition, source.source, source.graceMs));
    }
  }

  /** Feeds one sample; returns a trip once the sample's source has been unreadable past its grace. */
  observe(sample: Sample): Trip | undefined {
    return this.#trackers.get(sample.probe)?.observe(sample);
  }
}
