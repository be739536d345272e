import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeSchema, type DrillInput } from '../../drill/schema.js';
import { httpProber, type HttpProbeSpec } from './http-probe.js';

type HttpInput = NonNullable<DrillInput['probes'][string]['http']>;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

/** A real loopback server; closed (with every open connection) after the test. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Specs go through the real schema so defaults (method, expectStatus) are the drill's. */
function spec(input: HttpInput): HttpProbeSpec {
  const parsed = probeSchema.parse({ http: input }).http;
  if (!parsed) throw new Error('no http spec');
  return parsed;
}

function check(input: HttpInput, timeoutMs = 2000, signal = new AbortController().signal) {
  return httpProber.check(spec(input), { timeoutMs, signal });
}

const neverAnswers: http.RequestListener = () => {};

describe('http probe', () => {
  it('passes on a 2xx answer and reports status and latency', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const result = await check({ url });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('fails with the status when it is outside the expected class', async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('overloaded\nsecond line');
    });
    expect(await check({ url })).toMatchObject({ ok: false, status: 503, error: 'status 503', detail: 'overloaded' });
  });

  it('accepts an exact status or any listed status', async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    expect((await check({ url, expectStatus: 404 })).ok).toBe(true);
    expect((await check({ url, expectStatus: [200, 404] })).ok).toBe(true);
    expect(await check({ url, expectStatus: 200 })).toMatchObject({ ok: false, error: 'status 404' });
  });

  it('sends the method, headers and body of the spec', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`${req.method} ${req.headers['x-probe'] ?? '-'} ${body}`));
    });
    const result = await check({ url, method: 'POST', headers: { 'x-probe': 'yes' }, body: 'ping', bodyMatch: '^POST yes ping$' });
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it('fails when the body does not match the pattern, naming the pattern', async () => {
    const url = await serve((_req, res) => res.end('{"status":"starting"}'));
    expect(await check({ url, bodyMatch: '"status":"ok"' })).toMatchObject({
      ok: false,
      status: 200,
      error: 'body does not match /"status":"ok"/',
      detail: '{"status":"starting"}',
    });
  });

  it('matches only the first 64 KiB of a long body', async () => {
    const url = await serve((_req, res) => res.end(`${'a'.repeat(100 * 1024)}END`));
    expect(await check({ url, bodyMatch: 'END' })).toMatchObject({ ok: false, error: 'body does not match /END/' });
    expect((await check({ url, bodyMatch: '^a+$' })).ok).toBe(true);
  });

  it('times out against a server that never answers', async () => {
    const url = await serve(neverAnswers);
    const result = await check({ url }, 200);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('times out when the body stalls after the headers, keeping the status', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    expect(await check({ url }, 200)).toMatchObject({ ok: false, status: 200, error: 'timeout after 200ms' });
  });

  it('reports a refused connection by its code', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await check({ url: `http://127.0.0.1:${port}/` })).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('stops waiting when the signal aborts', async () => {
    const url = await serve(neverAnswers);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await check({ url }, 30_000, controller.signal);
    expect(result).toMatchObject({ ok: false, error: 'aborted' });
    expect(result.latencyMs).toBeLessThan(15_000);
  });

  it('does not start a request when the signal is already aborted', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.end();
    });
    const result = await check({ url }, 2000, AbortSignal.abort());
    expect(result).toMatchObject({ ok: false, error: 'aborted' });
    expect(requests).toBe(0);
  });

  it('reports an invalid pattern instead of throwing', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    expect(await check({ url, bodyMatch: '(' })).toMatchObject({ ok: false, error: 'invalid bodyMatch /(/' });
  });
});
