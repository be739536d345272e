import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpProber } from './tcp-probe.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

function check(port: number, timeoutMs = 2000, signal = new AbortController().signal) {
  return tcpProber.check({ host: '127.0.0.1', port }, { timeoutMs, signal });
}

async function listen(server: net.Server, backlog?: number): Promise<number> {
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog }, resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * A port whose handshakes stall: a paused child with a one-slot accept queue, filled up. Linux drops
 * further SYNs, so a connect hangs, which is the only loopback way to see a TCP connect timeout.
 */
async function stalledPort(): Promise<number> {
  const script = `require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  child.kill('SIGSTOP');
  for (let i = 0; i < 8; i++) {
    const filler = net.connect({ host: '127.0.0.1', port });
    filler.on('error', () => {});
    cleanups.push(() => void filler.destroy());
    const connected = await Promise.race([
      once(filler, 'connect').then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    if (!connected) return port;
  }
  throw new Error('the accept queue never filled up');
}

describe('tcp probe', () => {
  it('passes when the port accepts, and closes the connection without sending anything', async () => {
    const received: Buffer[] = [];
    let closed!: Promise<unknown>;
    const server = net.createServer((socket) => {
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      closed = once(socket, 'close');
    });
    const port = await listen(server);
    const result = await check(port);
    expect(result.ok).toBe(true);
    expect(result.latencyMs).toBeGreaterThan(0);
    await closed;
    expect(received).toEqual([]);
  });

  it('reports a refused connection by its code', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await check(port)).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('times out when the handshake never completes', async () => {
    const port = await stalledPort();
    const result = await check(port, 200);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 200ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('stops waiting when the signal aborts', async () => {
    const port = await stalledPort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await check(port, 30_000, controller.signal);
    expect(result).toMatchObject({ ok: false, error: 'aborted' });
    expect(result.latencyMs).toBeLessThan(15_000);
  });
});
