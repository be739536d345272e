/** Kill-switch conditions on probe samples: how they read, and an incremental monitor that trips them. */
import { formatDurationMs } from '../drill/duration.js';
import type { KillCondition } from '../drill/schema.js';
import { FiredrillError } from '../errors.js';
import type { Sample } from '../journal/types.js';
import { ConsecutiveFailuresTracker } from './trackers/consecutive-failures.js';
import { ErrorRatioAboveTracker } from './trackers/error-ratio-above.js';
import { LatencyAboveTracker } from './trackers/latency-above.js';
import { SuccessRateBelowTracker } from './trackers/success-rate-below.js';
import type { ConditionTracker, Trip } from './trackers/tracker.js';
import { alertFiringRule, valueLimitRule, ValueStreakTracker } from './trackers/value-streak.js';
import { formatPercent } from '../values/percent.js';

export type { Trip } from './trackers/tracker.js';

/** the sliding window of `successRateBelow` when the drill names none */
export const DEFAULT_SUCCESS_WINDOW_MS = 10_000;

/** The condition as a person reads it: `api-health: 3 consecutive failures`. */
export function describeCondition(c: KillCondition): string {
  if (c.consecutiveFailures !== undefined) {
    const n = c.consecutiveFailures;
    return `${c.probe}: ${n === 1 ? 'any failure' : `${n} consecutive failures`}`;
  }
  if (c.latencyAbove !== undefined) {
    const forText = c.for ? ` for ${formatDurationMs(c.for)}` : '';
    return `${c.probe}: latency above ${formatDurationMs(c.latencyAbove)}${forText}`;
  }
  if (c.successRateBelow !== undefined) {
    const windowMs = c.window ?? DEFAULT_SUCCESS_WINDOW_MS;
    return `${c.probe}: success rate below ${formatPercent(c.successRateBelow)} over ${formatDurationMs(windowMs)}`;
  }
  const forText = c.for ? ` for ${formatDurationMs(c.for)}` : '';
  if (c.valueAbove !== undefined) return `${c.probe}: value above ${c.valueAbove}${forText}`;
  if (c.valueBelow !== undefined) return `${c.probe}: value below ${c.valueBelow}${forText}`;
  if (c.alertFiring) return `${c.probe}: alert firing${forText}`;
  if (c.errorRatioAbove !== undefined) {
    const windowMs = c.window ?? DEFAULT_SUCCESS_WINDOW_MS;
    return `${c.probe} / ${c.total ?? '?'}: error ratio above ${formatPercent(c.errorRatioAbove)} over ${formatDurationMs(windowMs)}`;
  }
  return `${c.probe}: (no condition)`;
}

interface Watch {
  /** the probes whose samples the condition reads (two for errorRatioAbove) */
  probes: readonly string[];
  tracker: ConditionTracker;
  tripped: boolean;
}

/** Watches samples as they arrive and reports the first condition that trips; bounded memory per condition. */
export class KillConditionMonitor {
  private readonly watches: Watch[];

  constructor(conditions: readonly KillCondition[]) {
    this.watches = conditions.map((c) => ({ probes: c.total === undefined ? [c.probe] : [c.probe, c.total], tracker: trackerFor(c), tripped: false }));
  }

  /** Feeds one sample; returns the trip of the first condition (in drill order) it tripped, if any. */
  observe(sample: Sample): Trip | undefined {
    let first: Trip | undefined;
    for (const w of this.watches) {
      if (w.tripped || !w.probes.includes(sample.probe)) continue;
      const trip = w.tracker.observe(sample);
      if (!trip) continue;
      // a condition trips once; the runner acts on the first trip, so later ones would only repeat it
      w.tripped = true;
      first ??= trip;
    }
    return first;
  }
}

function trackerFor(c: KillCondition): ConditionTracker {
  const label = describeCondition(c);
  if (c.consecutiveFailures !== undefined) return new ConsecutiveFailuresTracker(label, c.consecutiveFailures);
  if (c.latencyAbove !== undefined) return new LatencyAboveTracker(label, c.latencyAbove, c.for ?? 0);
  if (c.successRateBelow !== undefined) {
    return new SuccessRateBelowTracker(label, c.successRateBelow, c.window ?? DEFAULT_SUCCESS_WINDOW_MS);
  }
  if (c.valueAbove !== undefined) return new ValueStreakTracker(label, valueLimitRule(c.valueAbove, 'above'), c.for ?? 0);
  if (c.valueBelow !== undefined) return new ValueStreakTracker(label, valueLimitRule(c.valueBelow, 'below'), c.for ?? 0);
  if (c.alertFiring) return new ValueStreakTracker(label, alertFiringRule(), c.for ?? 0);
  if (c.errorRatioAbove !== undefined && c.total !== undefined) {
    return new ErrorRatioAboveTracker(label, c.probe, c.total, c.errorRatioAbove, c.window ?? DEFAULT_SUCCESS_WINDOW_MS);
  }
  // the schema guarantees one condition; reaching this means an unvalidated drill got here
  throw new FiredrillError('FD_INTERNAL', `the kill-switch condition for probe "${c.probe}" names no condition; validate the drill first`, {
    probe: c.probe,
  });
}
