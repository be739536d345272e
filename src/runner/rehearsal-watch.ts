/**
 * A rehearsal's kill switch: the drill's own conditions and the metrics-source fail-safe, fed the
 * live samples, but only recording the first moment they would have stopped the drill. Nothing is
 * injected in a rehearsal, so there is nothing to revert and the rehearsal keeps watching.
 */
import type { Drill } from '../drill/schema.js';

/** What a rehearsal watch needs of a drill (a game day's own kill switch has the same two). */
export type WatchedConditions = Pick<Drill, 'killSwitch' | 'probes'>;
import type { KillSwitchRecord, Sample } from '../journal/types.js';
import { KillConditionMonitor } from '../verdict/kill-conditions.js';
import { SourceWatch } from '../verdict/source-watch.js';

export class RehearsalWatch {
  readonly #monitor: KillConditionMonitor;
  readonly #sources: SourceWatch;
  wouldHaveTripped?: KillSwitchRecord;

  constructor(drill: WatchedConditions) {
    this.#monitor = new KillConditionMonitor(drill.killSwitch);
    this.#sources = new SourceWatch(drill.probes);
  }

  /** Returns the record the first time a condition would have tripped. */
  observe(sample: Sample): KillSwitchRecord | undefined {
    if (this.wouldHaveTripped) return undefined;
    const probeTrip = this.#monitor.observe(sample);
    const trip = probeTrip ?? this.#sources.observe(sample);
    if (!trip) return undefined;
    this.wouldHaveTripped = {
      tripped: true,
      t: sample.t,
      kind: probeTrip ? 'probe' : 'metrics-unreachable',
      condition: trip.condition,
      reason: trip.reason,
      ...(trip.samples ? { samples: trip.samples } : {}),
    };
    return this.wouldHaveTripped;
  }
}
