/** Measuring one expectation metric over the samples of one probe in one phase window. */
import { formatDurationMs } from '../drill/duration.js';
import type { PhaseName } from '../drill/schema.js';
import type { Threshold } from '../drill/threshold.js';
import type { ExpectationResult, Sample } from '../journal/types.js';
import type { LatencyMetric, SampleMetricSpec } from './expectation-metric.js';
import { countMargin, durationMargin, thresholdMargin } from './margin.js';
import { percentile } from './percentile.js';
import { findRecovery, RECOVERY_STREAK } from './recovery.js';
import { passes } from './threshold-check.js';
import { formatPercent } from '../values/percent.js';
import { formatRelative } from '../values/relative-time.js';
import { failureText, summarizeFailures } from '../values/sample-text.js';

/** A phase as the verdict sees it: samples with `startT <= t < endT` belong to it. */
export interface PhaseWindow {
  name: PhaseName;
  startT: number;
  endT: number;
}

type Worst = NonNullable<ExpectationResult['evidence']['worst']>;

export interface Measurement {
  actual: number | null;
  actualText: string;
  ok: boolean;
  margin: number | null;
  worst?: Worst;
  note: string;
}

export interface MeasureInput {
  /** the probe's samples in the window, sorted by `t`, never empty */
  window: readonly Sample[];
  failures: readonly Sample[];
  phase: PhaseWindow;
  lastRevertT?: number;
}

const PERCENTILE: Record<Exclude<LatencyMetric, 'latencyMax'>, number> = { latencyP50: 50, latencyP95: 95, latencyP99: 99 };

/** Measures `spec` over a non-empty window. */
export function measure(spec: SampleMetricSpec, input: MeasureInput): Measurement {
  switch (spec.metric) {
    case 'successRate':
      return measureSuccessRate(spec.threshold, input);
    case 'maxConsecutiveFailures':
      return measureStreak(spec.limit, input);
    case 'recoversWithin':
      return measureRecovery(spec.limitMs, input);
    default:
      return measureLatency(spec.metric, spec.threshold, input);
  }
}

function measureSuccessRate(threshold: Threshold, { window, failures }: MeasureInput): Measurement {
  const okCount = window.length - failures.length;
  const actual = okCount / window.length;
  const ok = passes(actual, threshold);
  const first = failures[0];
  let note = `${okCount} of ${window.length} ok`;
  if (first && failures.length === 1) note += `; the failure: ${failureText(first)} at ${formatRelative(first.t)}`;
  if (first && failures.length > 1) {
    note += `; first failure: ${failureText(first)} at ${formatRelative(first.t)}; failures: ${summarizeFailures(failures)}`;
  }
  return withWorst(
    { actual, actualText: `${formatPercent(actual)} (${okCount}/${window.length})`, ok, margin: thresholdMargin(actual, threshold, ok), note },
    first,
  );
}

function measureLatency(metric: LatencyMetric, threshold: Threshold, { window, failures }: MeasureInput): Measurement {
  // a failed or timed-out check counts with its latency: that is the wait a user had
  let slowest = window[0] as Sample;
  for (const s of window) if (s.latencyMs > slowest.latencyMs) slowest = s;
  const actual = metric === 'latencyMax' ? slowest.latencyMs : percentile(window.map((s) => s.latencyMs), PERCENTILE[metric]);
  const ok = passes(actual, threshold);
  const what = metric === 'latencyMax' ? 'slowest' : `p${PERCENTILE[metric]}`;
  let note = `${what} of ${window.length} samples: ${formatDurationMs(actual)}`;
  if (metric !== 'latencyMax') note += `; slowest ${formatDurationMs(slowest.latencyMs)}`;
  note += ` at ${formatRelative(slowest.t)}${slowest.ok ? '' : ` (${failureText(slowest)})`}`;
  if (failures.length > 0) note += `; ${failures.length} failed sample${failures.length === 1 ? '' : 's'} counted with their latency`;
  return withWorst({ actual, actualText: formatDurationMs(actual), ok, margin: thresholdMargin(actual, threshold, ok), note }, slowest);
}

function measureStreak(limit: number, { window, failures }: MeasureInput): Measurement {
  let bestStart = 0;
  let bestLength = 0;
  let start = 0;
  for (let i = 0; i < window.length; i++) {
    if ((window[i] as Sample).ok) {
      start = i + 1;
    } else if (i - start + 1 > bestLength) {
      bestStart = start;
      bestLength = i - start + 1;
    }
  }
  const actual = bestLength;
  const ok = actual <= limit;
  const okCount = window.length - failures.length;
  let note = `${okCount} of ${window.length} ok`;
  if (actual > 0) {
    const streak = window.slice(bestStart, bestStart + bestLength);
    const first = streak[0] as Sample;
    const last = streak[streak.length - 1] as Sample;
    const when = actual === 1 ? `at ${formatRelative(first.t)}` : `from ${formatRelative(first.t)} to ${formatRelative(last.t)}`;
    note = `longest streak: ${actual} failure${actual === 1 ? '' : 's'} ${when} (${summarizeFailures(streak)}); ${note}`;
  }
  return withWorst(
    { actual, actualText: actual === 0 ? 'no failures' : `${actual} in a row`, ok, margin: countMargin(actual, limit), note },
    failures[0],
  );
}

function measureRecovery(limitMs: number, { window, phase, lastRevertT }: MeasureInput): Measurement {
  const fromT = lastRevertT ?? phase.startT;
  const from = lastRevertT !== undefined ? 'revert' : 'phase start';
  const since = window.filter((s) => s.t >= fromT);
  const recovery = findRecovery(since);
  if (!recovery) {
    const span = Number.isFinite(phase.endT) ? ` (${formatDurationMs(phase.endT - phase.startT)})` : '';
    const lastFailure = since.findLast((s) => !s.ok);
    const okSince = since.filter((s) => s.ok).length;
    const note =
      since.length === 0
        ? `no samples after the ${from} at ${formatRelative(fromT)}`
        : `no ${RECOVERY_STREAK} ok samples in a row after the ${from} at ${formatRelative(fromT)}; ${okSince} of ${since.length} ok since` +
          (lastFailure ? `; last failure: ${failureText(lastFailure)} at ${formatRelative(lastFailure.t)}` : '');
    return withWorst(
      { actual: null, actualText: `did not recover within the ${phase.name} phase${span}`, ok: false, margin: null, note },
      lastFailure,
    );
  }
  const actual = recovery.at.t - fromT;
  const healthy =
    recovery.streak >= RECOVERY_STREAK
      ? `first of ${RECOVERY_STREAK} ok samples in a row at ${formatRelative(recovery.at.t)}`
      : `ok from ${formatRelative(recovery.at.t)} to the end of the phase (${recovery.streak} sample${recovery.streak === 1 ? '' : 's'})`;
  const before = recovery.lastFailure
    ? `; last failure before it: ${failureText(recovery.lastFailure)} at ${formatRelative(recovery.lastFailure.t)}`
    : `; no failure after the ${from}`;
  return withWorst(
    {
      actual,
      actualText: `${formatDurationMs(actual)} after ${from}`,
      ok: actual <= limitMs,
      margin: durationMargin(actual, limitMs),
      note: `${healthy}, ${from} at ${formatRelative(fromT)}${before}`,
    },
    recovery.lastFailure,
  );
}

function withWorst(m: Measurement, sample: Sample | undefined): Measurement {
  if (!sample) return m;
  const worst: Worst = { t: sample.t, ok: sample.ok, latencyMs: sample.latencyMs };
  if (sample.status !== undefined) worst.status = sample.status;
  if (sample.error !== undefined) worst.error = sample.error;
  return { ...m, worst };
}
