import http from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition } from '../probes/scrape/exposition.js';
import { serveMetrics, type MetricsServer } from './metrics-server.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (let s = servers.pop(); s; s = servers.pop()) await s.close();
});

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('serveMetrics', () => {
  it('serves the registry at /metrics on 127.0.0.1 and nothing else', async () => {
    const registry = new Registry();
    new Gauge({ name: 'firedrill_test', help: 't', registers: [registry] }).set(3);
    const server = await serveMetrics(registry, 0);
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(parseExposition(page.body).samples).toEqual([{ name: 'firedrill_test', labels: {}, value: 3 }]);
    expect((await get(server.url.replace('/metrics', '/'))).status).toBe(404);
  });

  it('refuses a port that is taken with a usage error', async () => {
    const first = await serveMetrics(new Registry(), 0);
    servers.push(first);
    const port = Number(new URL(first.url).port);
    await expect(serveMetrics(new Registry(), port)).rejects.toMatchObject({ code: 'FD_USAGE' });
  });
});
