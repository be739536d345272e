/** The Prometheus probe: one PromQL instant query per check; the sample carries the (reduced) value. */
import type { ProbeSpec } from '../../drill/schema.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { instantQuery } from './promql-client.js';
import { reduceSeries } from './reduce.js';
import { sourceHeaders } from './source-headers.js';
import { emptyResult, valueResult } from './value-result.js';

export type PrometheusProbeSpec = NonNullable<ProbeSpec['prometheus']>;

/** Runs the query once; resolves within about `timeoutMs` and never rejects. */
async function check(spec: PrometheusProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  const answer = await instantQuery({
    url: spec.url,
    query: spec.query,
    headers: sourceHeaders(spec, 'application/json'),
    timeoutMs,
    signal,
  });
  if (answer.kind === 'failed') return answer.result;
  const { series, latencyMs } = answer;
  if (series.length === 0) return emptyResult(spec.empty, 'the query matched no series', spec.expectValue, latencyMs);
  // NaN is PromQL's "no answer" (0/0 when nothing happened), not a number to compare
  const numbers = series.filter((s) => !Number.isNaN(s.value));
  if (numbers.length === 0) return emptyResult(spec.empty, 'the value is NaN (0/0: no traffic?)', spec.expectValue, latencyMs);
  const reduced = reduceSeries(numbers, spec.reduce, spec.expectValue);
  return valueResult(reduced.value, spec.expectValue, latencyMs, reduced.detail);
}

export const prometheusProber: Prober<PrometheusProbeSpec> = {
  kind: 'prometheus',
  describe: (p) => `PromQL at ${p.url}: ${p.query}${p.expectValue ? ` expecting ${p.expectValue.text}` : ''}`,
  check,
};
