import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, serveOnLoopback } from '../../../test/support/loopback-server.js';
import { probeSchema, type DrillInput } from '../../drill/schema.js';
import { alertProber, type AlertProbeSpec } from './alert-probe.js';

type Input = NonNullable<DrillInput['probes'][string]['alert']>;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

async function api(status: number, body: unknown) {
  const server = await serveOnLoopback((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  cleanups.push(server.close);
  return server;
}

function spec(input: Input): AlertProbeSpec {
  const parsed = probeSchema.parse({ alert: input }).alert;
  if (!parsed) throw new Error('no alert spec');
  return parsed;
}

const check = (input: Input) => alertProber.check(spec(input), { timeoutMs: 2000, signal: new AbortController().signal });

const alerts = (...states: string[]) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: states.map((state, i) => ({ metric: { __name__: 'ALERTS', alertname: 'ShopDown', alertstate: state, instance: `i${i}` }, value: [1, '1'] })),
  },
});

describe('alert probe via Prometheus', () => {
  it('passes while the alert does not fire, noting pending series', async () => {
    const server = await api(200, alerts('pending'));
    expect(await check({ url: server.url, alertname: 'ShopDown' })).toMatchObject({ ok: true, value: 0, outcome: 'value', detail: '1 pending' });
    const query = new URL(server.requests[0]?.url ?? '', server.url).searchParams.get('query');
    expect(query).toBe('ALERTS{alertname="ShopDown"}');
  });

  it('fails while it fires, naming the alert and the first firing series', async () => {
    const server = await api(200, alerts('firing', 'pending', 'firing'));
    expect(await check({ url: server.url, alertname: 'ShopDown' })).toMatchObject({
      ok: false,
      value: 2,
      outcome: 'value',
      error: 'alert ShopDown firing (2 series)',
      detail: '{instance="i0"}; 1 pending',
    });
  });

  it('keeps the source\'s failures distinct from a firing alert', async () => {
    const port = await closedPort();
    expect(await check({ url: `http://127.0.0.1:${port}`, alertname: 'X' })).toMatchObject({ ok: false, outcome: 'unreachable' });
  });
});

describe('alert probe via Alertmanager', () => {
  it('asks /api/v2/alerts with filters and counts silenced alerts as firing', async () => {
    const server = await api(200, [
      { labels: { alertname: 'ShopDown', severity: 'page' }, status: { state: 'suppressed' } },
      { labels: { alertname: 'ShopDown', severity: 'page', instance: 'b' }, status: { state: 'active' } },
    ]);
    const result = await check({ url: `${server.url}/am`, source: 'alertmanager', alertname: 'ShopDown', labels: { severity: 'page' } });
    expect(result).toMatchObject({ ok: false, value: 2, error: 'alert ShopDown firing (2 series)', detail: '{severity="page"}; 1 silenced or inhibited' });
    const sent = new URL(server.requests[0]?.url ?? '', server.url);
    expect(sent.pathname).toBe('/am/api/v2/alerts');
    expect(sent.searchParams.getAll('filter')).toEqual(['alertname="ShopDown"', 'severity="page"']);
  });

  it('passes on an empty list, and calls a refused filter a query error', async () => {
    const empty = await api(200, []);
    expect(await check({ url: empty.url, source: 'alertmanager', alertname: 'X' })).toMatchObject({ ok: true, value: 0 });
    const bad = await api(400, '"bad matcher format: x"');
    expect(await check({ url: bad.url, source: 'alertmanager', alertname: 'X' })).toMatchObject({ ok: false, outcome: 'query-error', status: 400 });
  });
});
