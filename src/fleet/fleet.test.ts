import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../observability/logger.js';
import { Fleet } from './fleet.js';

const warnings: Error[] = [];
const onWarning = (w: Error): void => {
  warnings.push(w);
};

describe('Fleet fan-out', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    process.off('warning', onWarning);
    warnings.length = 0;
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('connects to 20 hosts at once on one run signal without a MaxListenersExceededWarning', async () => {
    // 20 "hosts" on loopback that accept TCP and never speak SSH: every connect stays in flight
    // (listening on the run's signal) until its handshake times out
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = createServer((sock) => sock.on('error', () => undefined));
      servers.push(s);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      ports.push((s.address() as { port: number }).port);
    }
    process.on('warning', onWarning);
    const fleet = new Fleet({
      credentials: { identityFiles: [], knownHostsFiles: [] },
      runId: 'fan-out-test',
      parallel: 20,
      deadlineMs: 60_000,
      logger: silentLogger(),
      connectTimeoutMs: 400,
    });
    fleet.add(
      ports.map((port, i) => ({ name: `h-${i}`, address: { host: '127.0.0.1', port, user: 'root' }, groups: [] })),
      2000,
    );
    const run = new AbortController();
    try {
      await expect(fleet.connectAll(run.signal)).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    } finally {
      await fleet.close();
    }
    // warnings are emitted on the next tick
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});
