import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSchema, type DrillInput } from '../../src/drill/schema.js';
import { runProbe } from '../../src/probes/registry.js';
import { startShop, type Shop } from '../support/shop.js';

type ProbeInput = DrillInput['probes'][string];

/** Probes as a drill declares them, through the real schema and registry. */
function probe(input: ProbeInput) {
  return runProbe(probeSchema.parse(input), new AbortController().signal);
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('probes against the example shop', () => {
  let shop: Shop | undefined;
  afterAll(async () => {
    await shop?.stop();
  });
  beforeAll(async () => {
    shop = await startShop({ backendTimeoutMs: 300 });
  });

  it('see a healthy shop through http, tcp and command probes', async () => {
    const { apiUrl, backendUrl } = shop as Shop;
    expect(await probe({ http: { url: `${apiUrl}/health`, bodyMatch: '"backend":"ok"' } })).toMatchObject({ ok: true, status: 200 });
    expect(await probe({ tcp: { port: portOf(backendUrl) } })).toMatchObject({ ok: true });
    const script = `fetch(process.argv[1]).then((r) => { console.log('status', r.status); process.exitCode = r.ok ? 0 : 1 })`;
    expect(await probe({ command: { run: [process.execPath, '-e', script, `${apiUrl}/products`] }, timeout: '5s' })).toMatchObject({
      ok: true,
      detail: 'status 200',
    });
  });

  it('see a paused backend as an http timeout while its port still accepts connections', async () => {
    const { apiUrl, backendUrl, backendPid } = shop as Shop;
    expect((await probe({ http: { url: `${apiUrl}/products` } })).ok).toBe(true);
    process.kill(backendPid, 'SIGSTOP');
    try {
      expect(await probe({ http: { url: `${backendUrl}/health`, timeout: '500ms' } })).toMatchObject({
        ok: false,
        error: 'timeout after 500ms',
      });
      // the kernel completes the handshake for a stopped process: a tcp probe cannot see this fault
      expect(await probe({ tcp: { port: portOf(backendUrl) } })).toMatchObject({ ok: true });
      // the api degrades: products from its cache, checkout refused, its own health still answers
      expect(await probe({ http: { url: `${apiUrl}/products`, bodyMatch: 'kettle' }, timeout: '5s' })).toMatchObject({ ok: true });
      expect(await probe({ http: { url: `${apiUrl}/checkout` }, timeout: '5s' })).toMatchObject({ ok: false, error: 'status 503' });
      expect(await probe({ http: { url: `${apiUrl}/health`, bodyMatch: '"backend":"ok"' } })).toMatchObject({
        ok: false,
        status: 200,
        error: 'body does not match /"backend":"ok"/',
      });
    } finally {
      process.kill(backendPid, 'SIGCONT');
    }
    expect(await probe({ http: { url: `${backendUrl}/health` }, timeout: '5s' })).toMatchObject({ ok: true, status: 200 });
  });
});

describe('probes against a stopped shop', () => {
  it('report refused connections', async () => {
    const shop = await startShop();
    await shop.stop();
    expect(await probe({ tcp: { port: portOf(shop.apiUrl) } })).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    expect(await probe({ http: { url: `${shop.backendUrl}/health` } })).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });
});
