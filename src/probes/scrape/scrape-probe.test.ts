import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, serveOnLoopback } from '../../../test/support/loopback-server.js';
import { probeSchema, type DrillInput } from '../../drill/schema.js';
import { scrapeProber, type ScrapeProbeSpec } from './scrape-probe.js';

type Input = NonNullable<DrillInput['probes'][string]['scrape']>;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

/** A real /metrics page from a prom-client registry the test drives. */
async function metricsPage() {
  const registry = new Registry();
  const requests = new Counter({ name: 'shop_http_requests_total', help: 'r', labelNames: ['route', 'status'], registers: [registry] });
  const depth = new Gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'], registers: [registry] });
  const server = await serveOnLoopback((_req, res) => {
    void registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    });
  });
  cleanups.push(server.close);
  return { url: `${server.url}/metrics`, requests, depth, server };
}

function spec(input: Input): ScrapeProbeSpec {
  const parsed = probeSchema.parse({ scrape: input }).scrape;
  if (!parsed) throw new Error('no scrape spec');
  return parsed;
}

const run = (s: ScrapeProbeSpec, timeoutMs = 2000) => scrapeProber.check(s, { timeoutMs, signal: new AbortController().signal });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scrape probe', () => {
  it('reads a gauge\'s value, summed over the matching series', async () => {
    const page = await metricsPage();
    page.depth.set({ queue: 'orders' }, 7);
    page.depth.set({ queue: 'mail' }, 2);
    expect(await run(spec({ url: page.url, metric: 'queue_depth' }))).toMatchObject({ ok: true, value: 9, outcome: 'value', detail: 'sum of 2 series' });
    expect(await run(spec({ url: page.url, metric: 'queue_depth', labels: { queue: 'orders' } }))).toMatchObject({ value: 7 });
    expect(await run(spec({ url: page.url, metric: 'queue_depth', reduce: 'max', expectValue: '< 5' }))).toMatchObject({
      ok: false,
      value: 7,
      error: 'value 7 does not meet < 5',
    });
  });

  it('turns a counter into a per-second rate between scrapes, pending on the first', async () => {
    const page = await metricsPage();
    page.requests.inc({ route: '/checkout', status: '200' }, 5);
    const s = spec({ url: page.url, metric: 'shop_http_requests_total', labels: { route: '/checkout' } });
    expect(await run(s)).toMatchObject({ ok: true, outcome: 'pending', detail: 'first scrape: a rate needs two' });
    page.requests.inc({ route: '/checkout', status: '200' }, 20);
    await pause(200);
    const second = await run(s);
    expect(second).toMatchObject({ ok: true, outcome: 'value' });
    // 20 increments over roughly 0.2 s: a rate, not the raw count
    expect(second.value).toBeGreaterThan(20);
    expect(second.value).toBeLessThan(150);
  });

  it('computes an error ratio from two counters, counting an error series that appears later from zero', async () => {
    const page = await metricsPage();
    page.requests.inc({ route: '/checkout', status: '200' }, 10);
    const s = spec({
      url: page.url,
      metric: 'shop_http_requests_total',
      labels: { route: '/checkout', status: '/5../' },
      ratioTo: { metric: 'shop_http_requests_total', labels: { route: '/checkout' } },
      expectValue: '< 10%',
    });
    expect(await run(s)).toMatchObject({ outcome: 'pending' });
    page.requests.inc({ route: '/checkout', status: '200' }, 3);
    page.requests.inc({ route: '/checkout', status: '503' }, 1);
    await pause(20);
    const result = await run(s);
    expect(result.value).toBeCloseTo(0.25);
    expect(result).toMatchObject({ ok: false, outcome: 'value', error: 'value 0.25 does not meet < 10%' });
  });

  it('says no traffic when the ratio\'s denominator did not move', async () => {
    const page = await metricsPage();
    page.requests.inc({ route: '/a', status: '200' });
    const s = spec({ url: page.url, metric: 'shop_http_requests_total', labels: { status: '500' }, ratioTo: { metric: 'shop_http_requests_total', labels: {} } });
    await run(s);
    expect(await run(s)).toMatchObject({ ok: false, outcome: 'empty' });
    expect((await run(s)).error).toContain('did not change between scrapes');
  });

  it('reports a metric that is not on the page as an empty result', async () => {
    const page = await metricsPage();
    expect(await run(spec({ url: page.url, metric: 'nope_total', labels: { a: 'b' } }))).toMatchObject({
      ok: false,
      outcome: 'empty',
      error: 'empty result: no series matches nope_total{a="b"}',
    });
  });

  it('reads a counter\'s raw value with mode: value', async () => {
    const page = await metricsPage();
    page.requests.inc({ route: '/a', status: '200' }, 4);
    expect(await run(spec({ url: page.url, metric: 'shop_http_requests_total', mode: 'value' }))).toMatchObject({ ok: true, value: 4 });
  });

  it('tells an HTTP error, a page that is not metrics, and a source that is gone apart', async () => {
    const notFound = await serveOnLoopback((_req, res) => {
      res.statusCode = 404;
      res.end('404 page not found');
    });
    cleanups.push(notFound.close);
    expect(await run(spec({ url: notFound.url, metric: 'x' }))).toMatchObject({ outcome: 'http-error', status: 404, error: 'http error: status 404' });
    const html = await serveOnLoopback((_req, res) => res.end('<html><body>hi</body></html>'));
    cleanups.push(html.close);
    const invalid = await run(spec({ url: html.url, metric: 'x' }));
    expect(invalid).toMatchObject({ ok: false, outcome: 'invalid-response' });
    expect(invalid.error).toContain('not the Prometheus text format (line 1');
    const port = await closedPort();
    expect(await run(spec({ url: `http://127.0.0.1:${port}/metrics`, metric: 'x' }))).toMatchObject({ outcome: 'unreachable', error: 'unreachable: ECONNREFUSED' });
  });

  it('asks for the text format', async () => {
    const page = await metricsPage();
    await run(spec({ url: page.url, metric: 'queue_depth' }));
    expect(page.server.requests[0]?.headers.accept).toMatch(/^text\/plain;version=0\.0\.4/);
  });
});

describe('scrape probe schema', () => {
  it('refuses a ratio with a reduce other than sum and a bad metric or label name', () => {
    expect(probeSchema.safeParse({ scrape: { url: 'http://x/metrics', metric: 'a', reduce: 'max', ratioTo: { metric: 'b' } } }).success).toBe(false);
    expect(probeSchema.safeParse({ scrape: { url: 'http://x/metrics', metric: '1bad' } }).success).toBe(false);
    expect(probeSchema.safeParse({ scrape: { url: 'http://x/metrics', metric: 'a', labels: { 'bad-label': 'x' } } }).success).toBe(false);
  });
});

describe('label matchers in the schema', () => {
  it('refuses a /regex/ label value that does not compile', () => {
    const result = probeSchema.safeParse({ scrape: { url: 'http://x/metrics', metric: 'a', labels: { status: '/5(/' } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('not a valid regular expression');
    expect(probeSchema.safeParse({ alert: { url: 'http://x', alertname: 'A', labels: { env: '/prod|stage/' } } }).success).toBe(true);
  });
});
