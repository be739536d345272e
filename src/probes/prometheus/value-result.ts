/**
 * How a value probe turns what its source said into a result. Every outcome has its own words, so
 * the journal tells an empty result from an HTTP error from a broken query at a glance.
 */
import type { Threshold } from '../../drill/threshold.js';
import { meets } from '../../drill/threshold.js';
import { formatValue } from '../../verdict/value-text.js';
import type { ProbeResult } from '../contract.js';
import { firstLine } from '../reason.js';
import type { SourceAnswer } from './source-request.js';

/** Journals are JSON, which has no Infinity: ±Inf is kept as the largest finite number. */
export function finiteValue(n: number): number {
  if (n === Infinity) return Number.MAX_VALUE;
  if (n === -Infinity) return -Number.MAX_VALUE;
  return n;
}

/** A value was read: ok unless `expectValue` says otherwise. */
export function valueResult(value: number, expectValue: Threshold | undefined, latencyMs: number, detail?: string): ProbeResult {
  const v = finiteValue(value);
  const ok = expectValue === undefined || meets(v, expectValue);
  return {
    ok,
    latencyMs,
    value: v,
    outcome: 'value',
    ...(ok ? {} : { error: `value ${formatValue(v)} does not meet ${expectValue?.text ?? ''}`.trim() }),
    ...(detail ? { detail } : {}),
  };
}

/** Nothing matched (or the value is NaN): a failure, or 0 when the drill says `empty: zero`. */
export function emptyResult(empty: 'fail' | 'zero', why: string, expectValue: Threshold | undefined, latencyMs: number): ProbeResult {
  if (empty === 'zero') return { ...valueResult(0, expectValue, latencyMs, `${why}; counted as 0`), outcome: 'empty' };
  return { ok: false, latencyMs, outcome: 'empty', error: `empty result: ${why}` };
}

/** The source was not there, answered with a non-API error, sent too much, or the run stopped. */
export function failedAnswer(answer: Exclude<SourceAnswer, { kind: 'answer' }>): ProbeResult {
  switch (answer.kind) {
    case 'unreachable':
      return { ok: false, latencyMs: answer.latencyMs, outcome: 'unreachable', error: `unreachable: ${answer.error}` };
    case 'too-large':
      return { ok: false, latencyMs: answer.latencyMs, status: answer.status, outcome: 'invalid-response', error: 'invalid response: body too large' };
    case 'aborted':
      return { ok: false, latencyMs: answer.latencyMs, error: 'aborted' };
  }
}

/** A non-2xx answer that is not the API's own error document (a proxy's 502, a 401, a wrong path's 404). */
export function httpErrorResult(status: number, body: string, latencyMs: number): ProbeResult {
  const detail = firstLine(body);
  return { ok: false, latencyMs, status, outcome: 'http-error', error: `http error: status ${status}`, ...(detail ? { detail } : {}) };
}

/** A 2xx answer whose body is not what the API promises. */
export function invalidResult(why: string, status: number, latencyMs: number): ProbeResult {
  return { ok: false, latencyMs, status, outcome: 'invalid-response', error: `invalid response: ${why}` };
}
