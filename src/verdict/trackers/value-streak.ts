/**
 * Kill-switch conditions on values for a duration: `valueAbove`, `valueBelow`, `alertFiring`.
 * A sample without a value (unreachable source, empty result) neither extends nor breaks the
 * streak: it shows nothing either way, and the fail-safe on the source watches for those.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample } from '../../journal/types.js';
import { formatValue } from '../value-text.js';
import type { ConditionTracker, Trip } from './tracker.js';

// a long `for` at a short interval makes long streaks; the trip keeps only the latest samples
const KEEP_SAMPLES = 20;

export interface StreakRule {
  /** true: past the limit; false: healthy; undefined: the sample says nothing */
  past(sample: Sample): boolean | undefined;
  /** the reason for a streak of `count` samples over `spanMs`, ending at `last` */
  reason(last: Sample, count: number, spanMs: number, extremeValue: number): string;
  /** which value is the worst of two (the higher for valueAbove) */
  worse(a: number, b: number): number;
}

export class ValueStreakTracker implements ConditionTracker {
  private startT: number | undefined;
  private count = 0;
  private extreme = NaN;
  private recent: Sample[] = [];

  constructor(
    private readonly condition: string,
    private readonly rule: StreakRule,
    private readonly forMs: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    const past = this.rule.past(sample);
    if (past === undefined) return undefined;
    if (!past) {
      this.reset();
      return undefined;
    }
    this.startT ??= sample.t;
    this.count++;
    if (sample.value !== undefined) this.extreme = Number.isNaN(this.extreme) ? sample.value : this.rule.worse(this.extreme, sample.value);
    this.recent.push(sample);
    if (this.recent.length > KEEP_SAMPLES) this.recent.shift();
    // the value is known when the check ends
    const spanMs = sample.t + sample.latencyMs - this.startT;
    if (spanMs < this.forMs) return undefined;
    const trip = { condition: this.condition, reason: this.rule.reason(sample, this.count, spanMs, this.extreme), samples: this.recent };
    this.reset();
    return trip;
  }

  private reset(): void {
    this.startT = undefined;
    this.count = 0;
    this.extreme = NaN;
    this.recent = [];
  }
}

/** `valueAbove: 0.2` (`direction: above`) or `valueBelow: 10`. */
export function valueLimitRule(limit: number, direction: 'above' | 'below'): StreakRule {
  const above = direction === 'above';
  return {
    past: (s) => (s.value === undefined ? undefined : above ? s.value > limit : s.value < limit),
    worse: (a, b) => (above ? Math.max(a, b) : Math.min(a, b)),
    reason: (last, count, spanMs, extreme) =>
      count === 1
        ? `value ${formatValue(last.value ?? NaN)} ${direction} ${formatValue(limit)}${last.detail ? ` (${last.detail})` : ''}`
        : `value ${direction} ${formatValue(limit)} for ${formatDurationMs(spanMs)}: ${count} samples in a row, ${above ? 'highest' : 'lowest'} ${formatValue(extreme)}`,
  };
}

/** `alertFiring: true` on an alert probe: its samples fail, with a value, exactly while the alert fires. */
export function alertFiringRule(): StreakRule {
  return {
    past: (s) => (s.outcome !== 'value' ? undefined : !s.ok),
    worse: (a, b) => Math.max(a, b),
    reason: (last, count, spanMs) => {
      const what = `${last.error ?? 'alert firing'}${last.detail ? ` (${last.detail})` : ''}`;
      return count === 1 ? what : `${what} for ${formatDurationMs(spanMs)}: ${count} checks in a row`;
    },
  };
}
