/**
 * Kill-switch condition in the SLO form: mean(errors) / mean(total) over a sliding window, from
 * two value probes (e.g. the rate of 5xx answers and the rate of all answers).
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample } from '../../journal/types.js';
import { formatValue } from '../value-text.js';
import type { ConditionTracker, Trip } from './tracker.js';
import { MIN_WINDOW_SAMPLES } from './success-rate-below.js';
import { formatPercent } from '../../values/percent.js';

type Valued = Sample & { value: number };

export class ErrorRatioAboveTracker implements ConditionTracker {
  // each holds one window's worth of samples with a value, in arrival order
  private errors: Valued[] = [];
  private totals: Valued[] = [];
  private nowT = -Infinity;

  constructor(
    private readonly condition: string,
    private readonly errorProbe: string,
    private readonly totalProbe: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    if (sample.value === undefined || !Number.isFinite(sample.value)) return undefined;
    const valued = sample as Valued;
    if (sample.probe === this.errorProbe) this.errors.push(valued);
    if (sample.probe === this.totalProbe) this.totals.push(valued);
    this.nowT = Math.max(this.nowT, sample.t);
    const fromT = this.nowT - this.windowMs;
    this.errors = this.errors.filter((s) => s.t > fromT);
    this.totals = this.totals.filter((s) => s.t > fromT);
    if (this.errors.length < MIN_WINDOW_SAMPLES || this.totals.length < MIN_WINDOW_SAMPLES) return undefined;
    const meanErrors = mean(this.errors);
    const meanTotal = mean(this.totals);
    if (!(meanTotal > 0)) return undefined;
    const ratio = meanErrors / meanTotal;
    if (!(ratio > this.limit)) return undefined;
    const reason =
      `error ratio ${formatPercent(ratio)} (${formatValue(meanErrors)} / ${formatValue(meanTotal)}) over the last ${formatDurationMs(this.windowMs)}, ` +
      `above ${formatPercent(this.limit)}`;
    return { condition: this.condition, reason, samples: [...this.errors] };
  }
}

function mean(samples: readonly Valued[]): number {
  return samples.reduce((a, s) => a + s.value, 0) / samples.length;
}
