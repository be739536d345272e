/**
 * Expectations on the values of value probes (prometheus, scrape, alert): a threshold or a range
 * over a phase's values, and the SLO form `errorRatio` from two probes. Samples without a value
 * (unreachable source, empty result, a rate's first scrape) are not judged; the note counts them.
 */
import { samplesInWindow } from '../journal/sample-phase.js';
import type { Threshold } from '../drill/threshold.js';
import type { ExpectationResult, Sample, SampleSet } from '../journal/types.js';
import type { ValueAggregate, ValueMetricSpec } from './expectation-metric.js';
import type { EvaluateOptions } from './expectations.js';
import { thresholdMargin } from './margin.js';
import type { PhaseWindow } from './metric-measures.js';
import { percentile } from './percentile.js';
import { passes } from './threshold-check.js';
import { formatValue, summarizeOutcomes } from './value-text.js';
import { formatPercent } from '../values/percent.js';
import { formatRelative } from '../values/relative-time.js';

type Head = Pick<ExpectationResult, 'phase' | 'probe' | 'description' | 'expected' | 'metric' | 'name'>;
type Valued = Sample & { value: number };
type Worst = NonNullable<ExpectationResult['evidence']['worst']>;

interface Judged {
  actual: number | null;
  actualText: string;
  ok: boolean;
  margin: number | null;
  outside: number;
  worst?: Sample;
  note: string;
}

/** Judges one value expectation over the samples with `phase.startT <= t < phase.endT`. */
export function evaluateValueExpectation(
  spec: ValueMetricSpec,
  head: Head,
  phase: PhaseWindow,
  samples: SampleSet,
  options: EvaluateOptions,
): ExpectationResult {
  const window = inWindow(samples, head.probe, phase);
  const valued = window.filter(hasValue);
  const blind = window.filter((s) => !hasValue(s));
  let judged: Judged;
  let counted = valued.length;
  if (spec.metric === 'errorRatio') {
    const totals = inWindow(samples, spec.total, phase).filter(hasValue);
    counted = valued.length + totals.length;
    judged = errorRatio(spec.threshold, spec.total, head.probe, valued, totals);
  } else if (valued.length === 0) {
    judged = noData(`no values of ${head.probe} in the ${phase.name} phase (${formatRelative(phase.startT)} to ${Number.isFinite(phase.endT) ? formatRelative(phase.endT) : 'its end'})`);
  } else {
    judged = spec.metric === 'value' ? threshold(spec.threshold, spec.aggregate, valued) : range(spec.low, spec.high, spec.aggregate, valued);
  }
  let note = judged.note;
  if (blind.length > 0) note += `; ${blind.length} sample${blind.length === 1 ? '' : 's'} without a value (${summarizeOutcomes(blind)})`;
  const evidence: ExpectationResult['evidence'] = { samples: counted, failures: judged.outside, note };
  if (judged.worst) evidence.worst = worstOf(judged.worst);
  return {
    ...head,
    actual: judged.actual,
    actualText: judged.actualText,
    ok: judged.ok,
    margin: judged.margin,
    nearMiss: judged.ok && judged.margin !== null && judged.margin < options.nearMissShare,
    evidence,
  };
}

function threshold(t: Threshold, aggregate: ValueAggregate, valued: Valued[]): Judged {
  const outside = valued.filter((s) => !passes(s.value, t));
  const upper = t.op === '<' || t.op === '<=';
  const extreme = upper ? highest(valued) : lowest(valued);
  const worst = t.op === '==' ? (outside[0] ?? extreme) : extreme;
  const actual = aggregate === 'every' ? worst.value : aggregated(aggregate, valued);
  const ok = aggregate === 'every' ? outside.length === 0 : passes(actual, t);
  return {
    actual,
    actualText: `${formatValue(actual)} (${aggregate === 'every' ? 'worst' : aggregate} of ${valued.length})`,
    ok,
    margin: thresholdMargin(actual, t, ok),
    outside: outside.length,
    worst,
    note: describe(valued, worst, outside, t.text),
  };
}

function range(low: number, high: number, aggregate: ValueAggregate, valued: Valued[]): Judged {
  const within = (v: number): boolean => v >= low && v <= high;
  // distance inside the range (positive) or past its nearer edge (negative)
  const room = (v: number): number => Math.min(v - low, high - v);
  const outside = valued.filter((s) => !within(s.value));
  let worst = valued[0] as Valued;
  for (const s of valued) if (room(s.value) < room(worst.value)) worst = s;
  const actual = aggregate === 'every' ? worst.value : aggregated(aggregate, valued);
  const ok = aggregate === 'every' ? outside.length === 0 : within(actual);
  const width = high - low;
  const margin = width > 0 ? room(actual) / width : ok ? 0 : -1;
  return {
    actual,
    actualText: `${formatValue(actual)} (${aggregate === 'every' ? 'worst' : aggregate} of ${valued.length})`,
    ok,
    margin: ok ? Math.max(0, margin) : margin,
    outside: outside.length,
    worst,
    note: describe(valued, worst, outside, `between ${low} and ${high}`),
  };
}

function errorRatio(t: Threshold, totalProbe: string, errorProbe: string, errors: Valued[], totals: Valued[]): Judged {
  if (errors.length === 0) return noData(`no values of ${errorProbe} in the phase`);
  if (totals.length === 0) return noData(`no values of ${totalProbe} in the phase`);
  const meanErrors = mean(errors);
  const meanTotal = mean(totals);
  const worst = highest(errors);
  if (!(meanTotal > 0)) {
    return { ...noData(`${totalProbe} averaged ${formatValue(meanTotal)}: no traffic to take a ratio of`), worst };
  }
  const actual = meanErrors / meanTotal;
  const ok = passes(actual, t);
  return {
    actual,
    actualText: `${formatPercent(actual)} (${formatValue(meanErrors)} / ${formatValue(meanTotal)})`,
    ok,
    margin: thresholdMargin(actual, t, ok),
    outside: ok ? 0 : 1,
    worst,
    note:
      `mean of ${errors.length} values of ${errorProbe}: ${formatValue(meanErrors)}; mean of ${totals.length} values of ${totalProbe}: ${formatValue(meanTotal)}; ` +
      `highest ${errorProbe} ${formatValue(worst.value)} at ${formatRelative(worst.t)}`,
  };
}

function describe(valued: Valued[], worst: Valued, outside: Valued[], limit: string): string {
  const lo = lowest(valued).value;
  const hi = highest(valued).value;
  let note = `${valued.length} values from ${formatValue(lo)} to ${formatValue(hi)}; worst ${formatValue(worst.value)} at ${formatRelative(worst.t)}`;
  const first = outside[0];
  if (first) note += `; ${outside.length} outside ${limit}, the first at ${formatRelative(first.t)}`;
  return note;
}

function aggregated(aggregate: Exclude<ValueAggregate, 'every'>, valued: Valued[]): number {
  const values = valued.map((s) => s.value);
  switch (aggregate) {
    case 'avg':
      return mean(valued);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'last':
      return (valued[valued.length - 1] as Valued).value;
    case 'p50':
      return percentile(values, 50);
    case 'p95':
      return percentile(values, 95);
    case 'p99':
      return percentile(values, 99);
  }
}

function noData(note: string): Judged {
  return { actual: null, actualText: 'no data', ok: false, margin: null, outside: 0, note };
}

function inWindow(samples: SampleSet, probe: string, phase: PhaseWindow): Sample[] {
  return samplesInWindow(samples, probe, phase);
}

function hasValue(s: Sample): s is Valued {
  return s.value !== undefined && Number.isFinite(s.value);
}

function mean(valued: readonly Valued[]): number {
  return valued.reduce((a, s) => a + s.value, 0) / valued.length;
}

function highest(valued: readonly Valued[]): Valued {
  let best = valued[0] as Valued;
  for (const s of valued) if (s.value > best.value) best = s;
  return best;
}

function lowest(valued: readonly Valued[]): Valued {
  let best = valued[0] as Valued;
  for (const s of valued) if (s.value < best.value) best = s;
  return best;
}

function worstOf(s: Sample): Worst {
  const worst: Worst = { t: s.t, ok: s.ok, latencyMs: s.latencyMs };
  if (s.status !== undefined) worst.status = s.status;
  if (s.error !== undefined) worst.error = s.error;
  if (s.value !== undefined) worst.value = s.value;
  return worst;
}
