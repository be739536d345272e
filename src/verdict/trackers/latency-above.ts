/** Kill-switch condition: every sample slower than X (or failed) for at least D. */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample } from '../../journal/types.js';
import type { ConditionTracker, Trip } from './tracker.js';
import { failureText, summarizeFailures } from '../../values/sample-text.js';

// a long `for` at a short interval makes long streaks; the trip keeps only the latest samples
const KEEP_SAMPLES = 20;

export class LatencyAboveTracker implements ConditionTracker {
  private startT: number | undefined;
  private count = 0;
  private failed = 0;
  private slowestMs = 0;
  private recent: Sample[] = [];

  constructor(
    private readonly condition: string,
    private readonly limitMs: number,
    private readonly forMs: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    // a failed check is above the limit whatever it took: the user got no answer
    const above = !sample.ok || sample.latencyMs > this.limitMs;
    if (!above) {
      this.reset();
      return undefined;
    }
    this.startT ??= sample.t;
    this.count++;
    if (!sample.ok) this.failed++;
    this.slowestMs = Math.max(this.slowestMs, sample.latencyMs);
    this.recent.push(sample);
    if (this.recent.length > KEEP_SAMPLES) this.recent.shift();
    const spanMs = sample.t + sample.latencyMs - this.startT;
    if (spanMs < this.forMs) return undefined;
    const trip = { condition: this.condition, reason: this.reason(sample, spanMs), samples: this.recent };
    this.reset();
    return trip;
  }

  private reason(last: Sample, spanMs: number): string {
    const limit = formatDurationMs(this.limitMs);
    if (this.count === 1) {
      return last.ok ? `latency ${formatDurationMs(last.latencyMs)} above ${limit}` : `failed (${failureText(last)}), counted as above ${limit}`;
    }
    const failures = this.failed === 0 ? '' : `; ${this.failed} failed: ${summarizeFailures(this.recent)}`;
    return `latency above ${limit} for ${formatDurationMs(spanMs)}: ${this.count} samples in a row, slowest ${formatDurationMs(this.slowestMs)}${failures}`;
  }

  private reset(): void {
    this.startT = undefined;
    this.count = 0;
    this.failed = 0;
    this.slowestMs = 0;
    this.recent = [];
  }
}
