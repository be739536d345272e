import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, serveOnLoopback } from '../../../test/support/loopback-server.js';
import { probeSchema, type DrillInput } from '../../drill/schema.js';
import { prometheusProber, type PrometheusProbeSpec } from './prometheus-probe.js';

type Input = NonNullable<DrillInput['probes'][string]['prometheus']>;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

/** A stand-in Prometheus API answering every request with `status` and `body`. */
async function api(status: number, body: unknown, contentType = 'application/json') {
  const server = await serveOnLoopback((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  cleanups.push(server.close);
  return server;
}

const vector = (...items: [Record<string, string>, string][]) => ({
  status: 'success',
  data: { resultType: 'vector', result: items.map(([metric, v]) => ({ metric, value: [1700000000.5, v] })) },
});

function spec(input: Input): PrometheusProbeSpec {
  const parsed = probeSchema.parse({ prometheus: input }).prometheus;
  if (!parsed) throw new Error('no prometheus spec');
  return parsed;
}

const check = (input: Input, timeoutMs = 2000) => prometheusProber.check(spec(input), { timeoutMs, signal: new AbortController().signal });

describe('prometheus probe', () => {
  it('sends the query to /api/v1/query under the base path and carries the value', async () => {
    const server = await api(200, vector([{ job: 'shop' }, '0.25']));
    const result = await check({ url: `${server.url}/prom`, query: 'sum(rate(x[1m]))' });
    expect(result).toMatchObject({ ok: true, value: 0.25, outcome: 'value', detail: '{job="shop"}' });
    const sent = new URL(server.requests[0]?.url ?? '', server.url);
    expect(sent.pathname).toBe('/prom/api/v1/query');
    expect(sent.searchParams.get('query')).toBe('sum(rate(x[1m]))');
    expect(sent.searchParams.get('timeout')).toBe('2000ms');
  });

  it('fails when the value misses expectValue, and passes a share written as a percentage', async () => {
    const server = await api(200, vector([{}, '0.031']));
    expect(await check({ url: server.url, query: 'q', expectValue: '< 0.01' })).toMatchObject({
      ok: false,
      value: 0.031,
      outcome: 'value',
      error: 'value 0.031 does not meet < 0.01',
    });
    expect(await check({ url: server.url, query: 'q', expectValue: '< 5%' })).toMatchObject({ ok: true, value: 0.031 });
  });

  it('reads a scalar result', async () => {
    const server = await api(200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '42'] } });
    expect(await check({ url: server.url, query: 'scalar(x)' })).toMatchObject({ ok: true, value: 42 });
  });

  it('reduces a vector by the declared rule', async () => {
    const server = await api(200, vector([{ i: 'a' }, '1'], [{ i: 'b' }, '3']));
    expect(await check({ url: server.url, query: 'q' })).toMatchObject({ value: 3, detail: 'max of 2 series: {i="b"}' });
    expect(await check({ url: server.url, query: 'q', reduce: 'sum' })).toMatchObject({ value: 4 });
    expect(await check({ url: server.url, query: 'q', reduce: 'every', expectValue: '< 2' })).toMatchObject({
      ok: false,
      value: 3,
      detail: '1 of 2 series fail: {i="b"} 3',
    });
  });

  it('tells an empty result from a failure, and counts it as 0 when the drill says so', async () => {
    const server = await api(200, vector());
    expect(await check({ url: server.url, query: 'q' })).toMatchObject({ ok: false, outcome: 'empty', error: 'empty result: the query matched no series' });
    const zero = await check({ url: server.url, query: 'q', empty: 'zero', expectValue: '< 1' });
    expect(zero).toMatchObject({ ok: true, outcome: 'empty', value: 0 });
  });

  it('treats NaN (0/0) as no answer and keeps +Inf as a comparable number', async () => {
    const nan = await api(200, vector([{}, 'NaN']));
    expect(await check({ url: nan.url, query: 'q' })).toMatchObject({ ok: false, outcome: 'empty', error: 'empty result: the value is NaN (0/0: no traffic?)' });
    const inf = await api(200, vector([{}, '+Inf']));
    const result = await check({ url: inf.url, query: 'histogram_quantile(0.99, x)', expectValue: '< 0.5' });
    expect(result).toMatchObject({ ok: false, value: Number.MAX_VALUE, error: 'value +Inf does not meet < 0.5' });
    expect(JSON.parse(JSON.stringify(result)).value).toBe(Number.MAX_VALUE);
  });

  it('reports the API\'s own error as a query error, with its type and message', async () => {
    const server = await api(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unexpected "}"' });
    expect(await check({ url: server.url, query: 'sum(}' })).toMatchObject({
      ok: false,
      status: 400,
      outcome: 'query-error',
      error: 'query error (bad_data): invalid parameter "query": 1:5: parse error: unexpected "}"',
    });
  });

  it('reports a range-vector query as a query error with a hint', async () => {
    const server = await api(200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    const result = await check({ url: server.url, query: 'x[1m]' });
    expect(result).toMatchObject({ ok: false, outcome: 'query-error' });
    expect(result.error).toContain('rate(x[1m])');
  });

  it('reports a non-API HTTP error (a proxy, a wrong path) as an HTTP error with the body\'s first line', async () => {
    const server = await api(502, '<html>Bad Gateway</html>\n<body>', 'text/html');
    expect(await check({ url: server.url, query: 'q' })).toMatchObject({
      ok: false,
      status: 502,
      outcome: 'http-error',
      error: 'http error: status 502',
      detail: '<html>Bad Gateway</html>',
    });
  });

  it('reports a 2xx body that is not the API\'s JSON as an invalid response', async () => {
    const server = await api(200, 'hello', 'text/plain');
    expect(await check({ url: server.url, query: 'q' })).toMatchObject({ ok: false, outcome: 'invalid-response', error: 'invalid response: not JSON' });
  });

  it('reports a server that is not there as unreachable, and one that never answers as a timeout', async () => {
    const port = await closedPort();
    expect(await check({ url: `http://127.0.0.1:${port}`, query: 'q' })).toMatchObject({ ok: false, outcome: 'unreachable', error: 'unreachable: ECONNREFUSED' });
    const silent = await serveOnLoopback(() => {});
    cleanups.push(silent.close);
    expect(await check({ url: silent.url, query: 'q' }, 200)).toMatchObject({ ok: false, outcome: 'unreachable', error: 'unreachable: timeout after 200ms' });
  });

  it('sends bearer or basic auth, and the drill\'s headers', async () => {
    const server = await api(200, vector([{}, '1']));
    await check({ url: server.url, query: 'q', auth: { bearer: 's3cret' }, headers: { 'X-Scope-OrgID': 'team-a' } });
    await check({ url: server.url, query: 'q', auth: { username: 'reader', password: 'pw' } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(server.requests[0]?.headers['x-scope-orgid']).toBe('team-a');
    expect(server.requests[1]?.headers.authorization).toBe(`Basic ${Buffer.from('reader:pw').toString('base64')}`);
  });

  it('stops at once when the run aborts', async () => {
    const silent = await serveOnLoopback(() => {});
    cleanups.push(silent.close);
    const controller = new AbortController();
    const pending = prometheusProber.check(spec({ url: silent.url, query: 'q' }), { timeoutMs: 30_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: 'aborted' });
  });
});

describe('prometheus probe schema', () => {
  it('refuses reduce: every without expectValue, and auth that is neither bearer nor username+password', () => {
    expect(probeSchema.safeParse({ prometheus: { url: 'http://x', query: 'q', reduce: 'every' } }).success).toBe(false);
    expect(probeSchema.safeParse({ prometheus: { url: 'http://x', query: 'q', auth: { username: 'u' } } }).success).toBe(false);
    expect(probeSchema.safeParse({ prometheus: { url: 'http://x', query: 'q', auth: { bearer: 't', username: 'u', password: 'p' } } }).success).toBe(false);
  });
});
