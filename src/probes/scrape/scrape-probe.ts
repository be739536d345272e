/**
 * The scrape probe, for teams without a Prometheus server: fetch a /metrics page, pick a metric by
 * name and labels, and read a gauge's value or a counter's per-second rate (optionally as a ratio
 * to a second metric, e.g. errors / requests).
 */
import type { ProbeSpec } from '../../drill/schema.js';
import { errorMessage } from '../../errors.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { reduceSeries } from '../prometheus/reduce.js';
import type { Series } from '../prometheus/series.js';
import { sourceHeaders } from '../prometheus/source-headers.js';
import { getSource } from '../prometheus/source-request.js';
import { formatValue } from '../../verdict/value-text.js';
import { emptyResult, failedAnswer, httpErrorResult, invalidResult, valueResult } from '../prometheus/value-result.js';
import { RateTracker } from './counter-rates.js';
import { isCumulative, parseExposition, type Exposition } from './exposition.js';
import { compileMatchers, selectorText, selectSeries } from './series-match.js';

export type ScrapeProbeSpec = NonNullable<ProbeSpec['scrape']>;

// the text format; OpenMetrics text parses the same way for what a probe reads
const ACCEPT = 'text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1';

interface ScrapeState {
  numerator: RateTracker;
  denominator: RateTracker;
}

// Rates need the previous scrape. The contract's check() is stateless, so the state hangs off the
// spec object: one per probe of a loaded drill, gone with it.
const states = new WeakMap<ScrapeProbeSpec, ScrapeState>();

function stateFor(spec: ScrapeProbeSpec): ScrapeState {
  let state = states.get(spec);
  if (!state) {
    state = { numerator: new RateTracker(), denominator: new RateTracker() };
    states.set(spec, state);
  }
  return state;
}

interface Side {
  /** per-second rates or values; undefined while a rate waits for its second scrape */
  series: Series[] | undefined;
  found: number;
  rate: boolean;
}

/** Scrapes once; resolves within about `timeoutMs` and never rejects. */
async function check(spec: ScrapeProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return { ok: false, latencyMs: 0, outcome: 'unreachable', error: 'unreachable: invalid url' };
  }
  const answer = await getSource({ url, headers: sourceHeaders(spec, ACCEPT), timeoutMs, signal });
  if (answer.kind !== 'answer') return failedAnswer(answer);
  const { status, body, latencyMs } = answer;
  if (status < 200 || status > 299) return httpErrorResult(status, body, latencyMs);
  const atMs = performance.now();
  const page = parseExposition(body);
  if (page.samples.length === 0 && page.firstBad) {
    return invalidResult(`not the Prometheus text format (line ${page.firstBad.line}: ${page.firstBad.text})`, status, latencyMs);
  }
  const state = stateFor(spec);
  let numerator: Side;
  let denominator: Side | undefined;
  try {
    numerator = side(page, spec.metric, spec.labels, spec.mode, state.numerator, atMs);
    if (spec.ratioTo) denominator = side(page, spec.ratioTo.metric, spec.ratioTo.labels, spec.mode, state.denominator, atMs);
  } catch (e) {
    return { ok: false, latencyMs, outcome: 'query-error', error: `query error: ${errorMessage(e)}` };
  }
  const wanted = selectorText(spec.metric, spec.labels);
  if (!denominator) {
    if (numerator.found === 0) return emptyResult(spec.empty, `no series matches ${wanted}`, spec.expectValue, latencyMs);
    if (!numerator.series) return pending(latencyMs);
    if (numerator.series.length === 0) return emptyResult(spec.empty, `no rate yet for ${wanted}`, spec.expectValue, latencyMs);
    const reduced = reduceSeries(numerator.series, spec.reduce, spec.expectValue);
    const what = numerator.rate ? 'per second' : '';
    return valueResult(reduced.value, spec.expectValue, latencyMs, [what, reduced.detail].filter(Boolean).join(', '));
  }
  const below = selectorText(spec.ratioTo?.metric ?? '', spec.ratioTo?.labels ?? {});
  if (denominator.found === 0) return emptyResult(spec.empty, `no series matches ${below}`, spec.expectValue, latencyMs);
  if (!numerator.series || !denominator.series) return pending(latencyMs);
  // an error counter that does not exist yet has counted nothing: client libraries create it at its first increment
  const top = sum(numerator.series);
  const total = sum(denominator.series);
  if (total === 0 || Number.isNaN(total)) return emptyResult(spec.empty, `${below} did not change between scrapes (no traffic?)`, spec.expectValue, latencyMs);
  return valueResult(top / total, spec.expectValue, latencyMs, `${formatValue(top)} / ${formatValue(total)}${numerator.rate ? ' per second' : ''}`);
}

function side(page: Exposition, metric: string, labels: Record<string, string>, mode: ScrapeProbeSpec['mode'], tracker: RateTracker, atMs: number): Side {
  const found = selectSeries(page.samples, metric, compileMatchers(labels));
  const cumulative = isCumulative(metric, page.types);
  const rate = mode === 'rate' || (mode === 'auto' && cumulative);
  if (!rate) return { series: found, found: found.length, rate };
  return { series: tracker.rates(found, atMs, cumulative), found: found.length, rate };
}

function sum(series: readonly Series[]): number {
  return series.reduce((a, s) => a + s.value, 0);
}

function pending(latencyMs: number): ProbeResult {
  return { ok: true, latencyMs, outcome: 'pending', detail: 'first scrape: a rate needs two' };
}

export const scrapeProber: Prober<ScrapeProbeSpec> = {
  kind: 'scrape',
  describe: (p) => `metric ${p.metric} from ${p.url}${p.expectValue ? ` expecting ${p.expectValue.text}` : ''}`,
  check,
};
