/** Which metric an expectation checks, and how it reads in a report. */
import { formatDurationMs } from '../drill/duration.js';
import type { Expectation } from '../drill/schema.js';
import type { Threshold } from '../drill/threshold.js';
import { FiredrillError } from '../errors.js';

export type LatencyMetric = 'latencyP50' | 'latencyP95' | 'latencyP99' | 'latencyMax';

export type MetricSpec =
  | { metric: 'successRate'; threshold: Threshold }
  | { metric: LatencyMetric; threshold: Threshold }
  | { metric: 'maxConsecutiveFailures'; limit: number }
  | { metric: 'recoversWithin'; limitMs: number };

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
    default:
      return { description: `${spec.metric} ${spec.threshold.text}`, expected: spec.threshold.text };
  }
}
