import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type Shop } from '../support/shop.js';

const BACKEND_TIMEOUT_MS = 300;
/** far above the backend timeout: a request that takes this long means the api hung */
const CLIENT_TIMEOUT_MS = 10_000;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  elapsedMs: number;
}

/** One GET on a fresh connection (keep-alive would hold the shop's shutdown). */
function get(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent: false, timeout: CLIENT_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, elapsedMs: performance.now() - started }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${CLIENT_TIMEOUT_MS}ms`)));
    request.on('error', reject);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('example shop', () => {
  let shop: Shop | undefined;
  afterAll(async () => {
    await shop?.stop();
  });
  beforeAll(async () => {
    shop = await startShop({ backendTimeoutMs: BACKEND_TIMEOUT_MS });
  });

  it('degrades gracefully while the backend is paused and is fresh again after it resumes', async () => {
    const { apiUrl, backendPid } = shop as Shop;
    const warm = await get(`${apiUrl}/products`);
    expect(warm.status).toBe(200);
    expect(warm.headers['x-cache']).toBe('fresh');
    const products: unknown = JSON.parse(warm.body);
    expect(Array.isArray(products) && products.length > 0).toBe(true);

    process.kill(backendPid, 'SIGSTOP');
    try {
      const stale = await get(`${apiUrl}/products`);
      expect(stale.status).toBe(200);
      expect(stale.headers['x-cache']).toBe('stale');
      expect(stale.body).toBe(warm.body);
      // it did wait for the backend (the timeout), and it did not hang
      expect(stale.elapsedMs).toBeGreaterThanOrEqual(BACKEND_TIMEOUT_MS * 0.8);
      expect(stale.elapsedMs).toBeLessThan(CLIENT_TIMEOUT_MS);

      const checkout = await get(`${apiUrl}/checkout`);
      expect(checkout.status).toBe(503);
      expect(JSON.parse(checkout.body)).toMatchObject({ error: 'backend timeout' });

      const health = await get(`${apiUrl}/health`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok', backend: 'degraded' });
    } finally {
      process.kill(backendPid, 'SIGCONT');
    }

    const fresh = await get(`${apiUrl}/products`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-cache']).toBe('fresh');
    const checkout = await get(`${apiUrl}/checkout`);
    expect(checkout.status).toBe(200);
    expect(JSON.parse(checkout.body)).toMatchObject({ order: expect.any(Number) });
    expect(JSON.parse((await get(`${apiUrl}/health`)).body)).toEqual({ status: 'ok', backend: 'ok' });
  });

  it('exposes Prometheus metrics on both processes', async () => {
    const { apiUrl, backendUrl } = shop as Shop;
    await get(`${apiUrl}/products`);
    const api = await get(`${apiUrl}/metrics`);
    expect(api.status).toBe(200);
    expect(api.headers['content-type']).toContain('text/plain');
    expect(api.body).toMatch(/^shop_http_requests_total\{route="\/products",status="200"\} \d+$/m);
    expect(api.body).toMatch(/^shop_http_request_duration_seconds_bucket\{le="[^"]+",route="\/products"\} \d+$/m);
    expect(api.body).toContain('# TYPE shop_backend_errors_total counter');
    const backend = await get(`${backendUrl}/metrics`);
    expect(backend.status).toBe(200);
    expect(backend.body).toMatch(/^shop_http_requests_total\{route="\/products",status="200"\} \d+$/m);
    expect(backend.body).toContain('# TYPE shop_http_request_duration_seconds histogram');
  });
});

describe('example shop without a warm cache', () => {
  it('answers 503 for products when the backend never answered, and stop() ends a paused shop', async () => {
    const shop = await startShop({ backendTimeoutMs: BACKEND_TIMEOUT_MS });
    try {
      process.kill(shop.backendPid, 'SIGSTOP');
      const products = await get(`${shop.apiUrl}/products`);
      expect(products.status).toBe(503);
      expect(JSON.parse(products.body)).toMatchObject({ error: 'backend timeout' });
      const metrics = await get(`${shop.apiUrl}/metrics`);
      expect(metrics.body).toMatch(/^shop_backend_errors_total\{reason="timeout"\} 1$/m);
    } finally {
      await shop.stop();
    }
    expect(isAlive(shop.backendPid)).toBe(false);
    expect(isAlive(shop.apiPid)).toBe(false);
  });
});
