/**
 * A PromQL instant query over Prometheus' HTTP API (`/api/v1/query`). The answer is the series it
 * returned, or a result that says exactly what went wrong: unreachable, an HTTP error that is not
 * the API's (a proxy, a wrong path), the API's own error (bad query), or a body it could not read.
 */
import type { ProbeResult } from '../contract.js';
import { firstLine } from '../reason.js';
import { parsePromNumber, type Series } from './series.js';
import { getSource } from './source-request.js';
import { failedAnswer, httpErrorResult, invalidResult } from './value-result.js';

export type QueryAnswer = { kind: 'series'; series: Series[]; latencyMs: number } | { kind: 'failed'; result: ProbeResult };

export interface InstantQuery {
  /** the server's base URL, e.g. `http://127.0.0.1:9090` (a path prefix is kept) */
  url: string;
  query: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
}

/** `http://host:9090/prefix` + `api/v1/query` → `http://host:9090/prefix/api/v1/query`. */
export function apiUrl(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** Runs one instant query; never rejects. */
export async function instantQuery({ url, query, headers, timeoutMs, signal }: InstantQuery): Promise<QueryAnswer> {
  let target: URL;
  try {
    target = apiUrl(url, 'api/v1/query');
  } catch {
    return { kind: 'failed', result: { ok: false, latencyMs: 0, outcome: 'unreachable', error: 'unreachable: invalid url' } };
  }
  target.searchParams.set('query', query);
  // the server gives up too, so a heavy query does not keep running after the probe stopped waiting
  target.searchParams.set('timeout', `${Math.max(1, Math.round(timeoutMs))}ms`);
  const answer = await getSource({ url: target, headers, timeoutMs, signal });
  if (answer.kind !== 'answer') return { kind: 'failed', result: failedAnswer(answer) };
  const { status, body, latencyMs } = answer;
  const doc = parseJson(body);
  const apiError = apiErrorText(doc);
  if (apiError !== undefined) {
    return { kind: 'failed', result: { ok: false, latencyMs, status, outcome: 'query-error', error: `query error ${apiError}` } };
  }
  if (status < 200 || status > 299) return { kind: 'failed', result: httpErrorResult(status, body, latencyMs) };
  if (doc === undefined) return { kind: 'failed', result: invalidResult('not JSON', status, latencyMs) };
  const data = field(doc, 'data');
  const resultType = field(data, 'resultType');
  const result = field(data, 'result');
  if (field(doc, 'status') !== 'success' || typeof resultType !== 'string') {
    return { kind: 'failed', result: invalidResult('no data.resultType in the answer', status, latencyMs) };
  }
  if (resultType === 'matrix' || resultType === 'string') {
    const hint = resultType === 'matrix' ? '; wrap the range selector in a function such as rate(x[1m])' : '';
    return { kind: 'failed', result: { ok: false, latencyMs, status, outcome: 'query-error', error: `query error: the query returns a ${resultType}, not a number${hint}` } };
  }
  const series = resultType === 'scalar' ? scalarSeries(result) : vectorSeries(result);
  if (series === undefined) return { kind: 'failed', result: invalidResult(`unreadable ${resultType} result`, status, latencyMs) };
  return { kind: 'series', series, latencyMs };
}

/** `(bad_data): 1:5: parse error: …` when the body is the API's error document. */
function apiErrorText(doc: unknown): string | undefined {
  if (field(doc, 'status') !== 'error') return undefined;
  const type = field(doc, 'errorType');
  const message = field(doc, 'error');
  return `${typeof type === 'string' ? `(${type})` : ''}: ${firstLine(typeof message === 'string' ? message : 'no message')}`;
}

function vectorSeries(result: unknown): Series[] | undefined {
  if (!Array.isArray(result)) return undefined;
  const out: Series[] = [];
  for (const item of result) {
    const value = sampleValue(field(item, 'value'));
    const metric = field(item, 'metric');
    if (value === undefined || typeof metric !== 'object' || metric === null) return undefined;
    out.push({ labels: stringRecord(metric), value });
  }
  return out;
}

function scalarSeries(result: unknown): Series[] | undefined {
  const value = sampleValue(result);
  return value === undefined ? undefined : [{ labels: {}, value }];
}

/** `[1700000000.123, "0.25"]` → 0.25 */
function sampleValue(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string') return undefined;
  return parsePromNumber(pair[1]);
}

function stringRecord(value: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
