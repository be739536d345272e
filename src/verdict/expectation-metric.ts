/** Which metric an expectation checks, and how it reads in a report. */
import { formatDurationMs } from '../drill/duration.js';
import type { Expectation } from '../drill/schema.js';
import type { Threshold } from '../drill/threshold.js';
import { FiredrillError } from '../errors.js';

export type LatencyMetric = 'latencyP50' | 'latencyP95' | 'latencyP99' | 'latencyMax';

/** Metrics over a probe's ok/latency samples. */
export type SampleMetricSpec =
  | { metric: 'successRate'; threshold: Threshold }
  | { metric: LatencyMetric; threshold: Threshold }
  | { metric: 'maxConsecutiveFailures'; limit: number }
  | { metric: 'recoversWithin'; limitMs: number };

export type ValueAggregate = NonNullable<Expectation['aggregate']>;

/** Metrics over the values of value probes (prometheus, scrape, alert). */
export type ValueMetricSpec =
  | { metric: 'value'; threshold: Threshold; aggregate: ValueAggregate }
  | { metric: 'valueBetween'; low: number; high: number; aggregate: ValueAggregate }
  | { metric: 'errorRatio'; threshold: Threshold; total: string };

export type MetricSpec = SampleMetricSpec | ValueMetricSpec;

/** True for the metrics judged on sample values rather than on ok/latency. */
export function isValueMetric(spec: MetricSpec): spec is ValueMetricSpec {
  return spec.metric === 'value' || spec.metric === 'valueBetween' || spec.metric === 'errorRatio';
}

const LATENCY_METRICS: readonly LatencyMetric[] = ['latencyP50', 'latencyP95', 'latencyP99', 'latencyMax'];

/** The one metric a (validated) expectation checks. */
export function metricOf(exp: Expectation): MetricSpec {
  if (exp.successRate) return { metric: 'successRate', threshold: exp.successRate };
  for (const metric of LATENCY_METRICS) {
    const threshold = exp[metric];
    if (threshold) return { metric, threshold };
  }
  if (exp.maxConsecutiveFailures !== undefined) return { metric: 'maxConsecutiveFailures', limit: exp.maxConsecutiveFailures };
  if (exp.recoversWithin !== undefined) return { metric: 'recoversWithin', limitMs: exp.recoversWithin };
  if (exp.value) return { metric: 'value', threshold: exp.value, aggregate: exp.aggregate ?? 'every' };
  if (exp.valueBetween) return { metric: 'valueBetween', low: exp.valueBetween[0], high: exp.valueBetween[1], aggregate: exp.aggregate ?? 'every' };
  if (exp.errorRatio && exp.total !== undefined) return { metric: 'errorRatio', threshold: exp.errorRatio, total: exp.total };
  // the schema guarantees exactly one metric; reaching this means an unvalidated drill got here
  throw new FiredrillError('FD_INTERNAL', `the expectation for probe "${exp.probe}" checks no metric; validate the drill first`, {
    probe: exp.probe,
  });
}

/** `successRate >= 99%` and its expected part `>= 99%`. */
export function describeMetric(spec: MetricSpec): { description: string; expected: string } {
  switch (spec.metric) {
    case 'maxConsecutiveFailures':
      return { description: `maxConsecutiveFailures <= ${spec.limit}`, expected: `<= ${spec.limit}` };
    case 'recoversWithin': {
      const limit = formatDurationMs(spec.limitMs);
      return { description: `recoversWithin ${limit}`, expected: `within ${limit}` };
    }
    case 'value': {
      const of = spec.aggregate === 'every' ? '' : `${spec.aggregate} `;
      return { description: `value ${of}${spec.threshold.text}`, expected: `${of}${spec.threshold.text}` };
    }
    case 'valueBetween': {
      const of = spec.aggregate === 'every' ? '' : ` (${spec.aggregate})`;
      return { description: `valueBetween [${spec.low}, ${spec.high}]${of}`, expected: `between ${spec.low} and ${spec.high}${of}` };
    }
    case 'errorRatio':
      return { description: `errorRatio ${spec.threshold.text} (of ${spec.total})`, expected: spec.threshold.text };
    default:
      return { description: `${spec.metric} ${spec.threshold.text}`, expected: spec.threshold.text };
  }
}
