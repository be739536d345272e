import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeSchema, type DrillInput } from '../drill/schema.js';
import { probers, runProbe } from './registry.js';

type ProbeInput = DrillInput['probes'][string];

function run(input: ProbeInput) {
  return runProbe(probeSchema.parse(input), new AbortController().signal);
}

describe('probe registry', () => {
  it('names every prober by the key a drill uses for it', () => {
    for (const [key, prober] of Object.entries(probers)) expect(prober.kind).toBe(key);
  });

  it('uses the kind\'s own timeout over the probe\'s timeout', async () => {
    const result = await run({ command: { run: ['sleep', '30'], timeout: '200ms' }, timeout: '20s' });
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
  });

  it('falls back to the probe\'s timeout when the kind sets none', async () => {
    const result = await run({ command: { run: ['sleep', '30'] }, timeout: '300ms' });
    expect(result).toMatchObject({ ok: false, error: 'timeout after 300ms' });
  });

  it('runs the kind the spec names', async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      expect(await run({ tcp: { port } })).toMatchObject({ ok: true });
      expect(await run({ http: { url: `http://127.0.0.1:${port}/` } })).toMatchObject({ ok: true, status: 204 });
      expect(await run({ command: { run: ['echo', 'hi'] } })).toMatchObject({ ok: true, detail: 'hi' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
