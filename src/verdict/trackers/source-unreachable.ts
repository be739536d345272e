/**
 * The fail-safe of value probes: a metrics source that cannot be read (refused, timed out, HTTP or
 * query errors, garbage) for longer than its grace period leaves the runner blind, so it stops.
 * Empty results and firing alerts are answers, not blindness; they never count here.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample, ValueOutcome } from '../../journal/types.js';
import type { ConditionTracker, Trip } from './tracker.js';
import { summarizeFailures } from '../../values/sample-text.js';

const BLIND: ReadonlySet<ValueOutcome> = new Set(['unreachable', 'http-error', 'query-error', 'invalid-response']);
const KEEP_SAMPLES = 20;

/** True when the sample says its source could not be read. */
export function isBlind(sample: Pick<Sample, 'outcome'>): boolean {
  return sample.outcome !== undefined && BLIND.has(sample.outcome);
}

export class SourceUnreachableTracker implements ConditionTracker {
  private startT: number | undefined;
  private count = 0;
  private recent: Sample[] = [];

  constructor(
    private readonly condition: string,
    private readonly source: string,
    private readonly graceMs: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    if (!isBlind(sample)) {
      // any real answer (a value, an empty result, a pending rate) shows the source is back
      if (sample.outcome !== undefined) this.reset();
      return undefined;
    }
    this.startT ??= sample.t;
    this.count++;
    this.recent.push(sample);
    if (this.recent.length > KEEP_SAMPLES) this.recent.shift();
    const spanMs = sample.t + sample.latencyMs - this.startT;
    if (spanMs < this.graceMs) return undefined;
    const reason =
      `the ${this.source} source of probe ${sample.probe} could not be read for ${formatDurationMs(spanMs)} ` +
      `(grace ${formatDurationMs(this.graceMs)}; ${this.count} checks: ${summarizeFailures(this.recent)}); the runner cannot see the system, so it stops`;
    const trip = { condition: this.condition, reason, samples: this.recent };
    this.reset();
    return trip;
  }

  private reset(): void {
    this.startT = undefined;
    this.count = 0;
    this.recent = [];
  }
}
