/**
 * The fault proxy on real loopback sockets: a TCP echo / talker upstream and an HTTP upstream,
 * all started here. Timing assertions are loose and relative to a direct baseline measured in
 * the same test; shares are checked against binomial bounds with a fixed seed.
 */
import { Agent, createServer as createHttpServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, type FaultProxyOptions, type ProxyEndpoint } from '../../src/targets/proxy/engine/fault-proxy.js';
import { parseProxyFaults } from '../../src/targets/proxy/engine/schema.js';
import { isFiredrillError } from '../../src/errors.js';

const HOST = '127.0.0.1';
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

// ---------------------------------------------------------------------------------------------
// upstreams, proxies and clients, each closed after the test

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return (server.address() as { port: number }).port;
}

/** Echoes every byte back; ends when the client ends. */
function echoUpstream(): Promise<number> {
  return listen(createServer({ allowHalfOpen: true }, (s) => s.pipe(s)));
}

/** Writes `data` on connect and then ends (a server that talks first). */
function talkerUpstream(data: Buffer): Promise<number> {
  return listen(createServer((s) => s.end(data)));
}

interface HttpUpstream {
  port: number;
  hits: Map<string, number>;
}

/** /health → 200 ok; anything else → 200 with the method, path and body length. */
async function httpUpstream(): Promise<HttpUpstream> {
  const hits = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    let length = 0;
    req.on('data', (d: Buffer) => (length += d.length));
    req.on('end', () => res.end(path === '/health' ? 'ok' : `${req.method} ${path} ${length}`));
  });
  server.keepAliveTimeout = 30_000;
  return { port: await listen(server), hits };
}

async function startProxy(upstreamPort: number, options: Partial<FaultProxyOptions> = {}): Promise<{ proxy: FaultProxy; addr: ProxyEndpoint }> {
  const proxy = new FaultProxy();
  cleanups.push(() => proxy.stop());
  const addr = await proxy.start({ name: 'test', upstream: { host: HOST, port: upstreamPort }, seed: 20240601, ...options });
  return { proxy, addr };
}

/** A client socket that may be reset before it even reports the connect. */
function dialRaw(port: number): Socket {
  const socket = connect({ host: HOST, port, noDelay: true });
  socket.on('error', () => undefined);
  cleanups.push(() => socket.destroy());
  return socket;
}

async function dial(port: number): Promise<Socket> {
  const socket = connect({ host: HOST, port, noDelay: true });
  socket.on('error', () => undefined);
  cleanups.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Sends `payload` and resolves with the milliseconds until as many bytes came back. */
function roundTrip(socket: Socket, payload: Buffer | string): Promise<number> {
  const bytes = Buffer.from(payload);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let got = 0;
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= bytes.length) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(performance.now() - t0);
      }
    };
    const onClose = (): void => reject(new Error('closed before the echo came back'));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(bytes);
  });
}

interface Received {
  data: Buffer;
  reads: number;
  ended: boolean;
  error: string | undefined;
  /** ms from connect until end/close */
  ms: number;
  firstDataMs: number | undefined;
}

/** Reads until the socket closes (bounded by `timeoutMs`). */
function readAll(socket: Socket, timeoutMs = 5000): Promise<Received> {
  const t0 = performance.now();
  const chunks: Buffer[] = [];
  let ended = false;
  let error: string | undefined;
  let firstDataMs: number | undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (d: Buffer) => {
      firstDataMs ??= performance.now() - t0;
      chunks.push(d);
    });
    socket.on('end', () => {
      ended = true;
      if (!socket.writableEnded) socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), reads: chunks.length, ended, error, ms: performance.now() - t0, firstDataMs });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function medianRtt(socket: Socket, n: number): Promise<number> {
  const rtts: number[] = [];
  for (let i = 0; i < n; i++) rtts.push(await roundTrip(socket, 'ping'));
  return median(rtts);
}

interface HttpResult {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
  localPort: number | undefined;
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  return agent;
}

function httpCall(agent: Agent, port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, localPort: res.socket?.localPort }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const faults = (...input: unknown[]) => parseProxyFaults(input);

// ---------------------------------------------------------------------------------------------

describe('fault proxy: pass-through', () => {
  it('forwards bytes both ways and counts connections and bytes', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream());
    const socket = await dial(addr.port);
    const payload = Buffer.alloc(200_000, 7);
    await roundTrip(socket, payload);
    const live = proxy.stats();
    expect(live.connections).toMatchObject({ total: 1, active: 1 });
    socket.end();
    await new Promise((r) => socket.once('close', r));
    await new Promise((r) => setTimeout(r, 20));
    const after = proxy.stats();
    expect(after.connections).toMatchObject({ total: 1, active: 0, refused: 0 });
    expect(after.bytes).toEqual({ up: 200_000, down: 200_000 });
    expect(after.listen?.host).toBe(HOST);
  });

  it('stops and closes its connections when the signal aborts', async () => {
    const controller = new AbortController();
    const { proxy, addr } = await startProxy(await echoUpstream(), { signal: controller.signal });
    const socket = await dial(addr.port);
    await roundTrip(socket, 'hi');
    const closed = new Promise((r) => socket.once('close', r));
    controller.abort();
    await closed;
    await proxy.stop();
    const refused = await readAll(dialRaw(addr.port));
    expect(refused.error).toBe('ECONNREFUSED');
  });

  it('refuses to listen on a non-loopback address unless asked', async () => {
    const proxy = new FaultProxy();
    cleanups.push(() => proxy.stop());
    const err = await proxy.start({ name: 'wide', listen: { host: '0.0.0.0' }, upstream: { host: HOST, port: 1 } }).catch((e: unknown) => e);
    expect(isFiredrillError(err) && err.code).toBe('FD_ENV_REFUSED');
  });

  it('resets the client when the upstream cannot be reached', async () => {
    // a port that was free a moment ago: nothing listens there
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const { proxy, addr } = await startProxy(port);
    const got = await readAll(await dial(addr.port));
    expect(got.error).toBe('ECONNRESET');
    expect(proxy.stats().connections.upstreamFailed).toBe(1);
  });
});

describe('fault proxy: TCP toxics', () => {
  it('adds the configured latency, measured against a direct baseline', async () => {
    const port = await echoUpstream();
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'latency', latency: '60ms' }) });
    const direct = await medianRtt(await dial(port), 15);
    const proxied = await medianRtt(await dial(addr.port), 15);
    expect(proxied - direct).toBeGreaterThan(55);
    expect(proxied - direct).toBeLessThan(90);
  });

  it('applies latency in both directions when asked', async () => {
    const port = await echoUpstream();
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'latency', latency: '40ms', direction: 'both' }) });
    const proxied = await medianRtt(await dial(addr.port), 7);
    expect(proxied).toBeGreaterThan(75);
    expect(proxied).toBeLessThan(130);
  });

  it('carries a large transfer intact through latency, pausing the sender instead of buffering it all', async () => {
    const data = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
    const port = await talkerUpstream(data);
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'latency', latency: '20ms', jitter: '5ms' }) });
    const got = await readAll(await dial(addr.port), 20_000);
    expect(got.data.length).toBe(data.length);
    expect(got.data.equals(data)).toBe(true);
  });

  it('caps bandwidth to the configured rate', async () => {
    const data = Buffer.alloc(100_000, 1);
    const port = await talkerUpstream(data);
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'bandwidth', rate: 250 }) }); // 250 KB/s
    const direct = await readAll(await dial(port));
    const capped = await readAll(await dial(addr.port));
    expect(capped.data.equals(data)).toBe(true);
    // 100 KB at 250 KB/s is 400 ms (less one 5 KB slice sent at once)
    expect(capped.ms).toBeGreaterThan(330);
    expect(capped.ms).toBeLessThan(3000);
    expect(direct.ms).toBeLessThan(capped.ms / 2);
  });

  it('resets both sides with reset-peer', async () => {
    const serverErrors: string[] = [];
    const port = await listen(
      createServer((s) => {
        s.on('error', (e: NodeJS.ErrnoException) => serverErrors.push(e.code ?? ''));
      }),
    );
    const { proxy } = await startProxy(port, { faults: faults({ toxic: 'reset-peer', direction: 'upstream' }) });
    const socket = await dial(proxy.address!.port);
    const got = readAll(socket);
    socket.write('hello');
    expect((await got).error).toBe('ECONNRESET');
    await expect.poll(() => serverErrors).toContain('ECONNRESET');
    expect(proxy.stats().faults[0]).toMatchObject({ id: 'reset-peer#0', applied: 1, connectionsAffected: 1 });
  });

  it('delivers exactly the limit and then closes with limit-data', async () => {
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const port = await talkerUpstream(data);
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'limit-data', bytes: 1234 }) });
    const got = await readAll(await dial(addr.port));
    expect(got.data.equals(data.subarray(0, 1234))).toBe(true);
    expect(got.ended).toBe(true);
    expect(got.error).toBeUndefined();
  });

  it('refuses new connections and leaves the open ones alone', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream());
    const open = await dial(addr.port);
    await roundTrip(open, 'before');
    proxy.setFaults(faults({ toxic: 'refuse' }));
    const refused = await readAll(dialRaw(addr.port));
    expect(refused.error).toBe('ECONNRESET');
    expect(refused.data.length).toBe(0);
    await roundTrip(open, 'still here');
    proxy.clearFaults();
    await roundTrip(await dial(addr.port), 'after');
    expect(proxy.stats().connections).toMatchObject({ total: 3, refused: 1 });
  });

  it('stalls with timeout and lets everything through in order when reverted', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream());
    const socket = await dial(addr.port);
    await roundTrip(socket, 'warm');
    proxy.setFaults(faults({ toxic: 'timeout' }));
    let echoed = '';
    socket.on('data', (d: Buffer) => (echoed += d.toString()));
    socket.write('one,');
    socket.write('two');
    await new Promise((r) => setTimeout(r, 300));
    expect(echoed).toBe('');
    proxy.clearFaults();
    await expect.poll(() => echoed).toBe('one,two');
    expect(socket.destroyed).toBe(false);
  });

  it('closes a stalled connection after closeAfter', async () => {
    const { addr } = await startProxy(await echoUpstream(), { faults: faults({ toxic: 'timeout', closeAfter: '200ms' }) });
    const socket = await dial(addr.port);
    const got = readAll(socket);
    socket.write('into the void');
    const r = await got;
    expect(r.data.length).toBe(0);
    expect(r.ms).toBeGreaterThan(150);
    expect(r.ms).toBeLessThan(3000);
  });

  it('slices data into small chunks with delays, keeping every byte in order', async () => {
    const data = Buffer.from('abcdefghijklmnopqrstuvwxyz'.repeat(8));
    const port = await talkerUpstream(data);
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'slicer', averageSize: 10, sizeVariation: 3, delay: '5ms' }) });
    const got = await readAll(await dial(addr.port));
    expect(got.data.equals(data)).toBe(true);
    // ~21 slices 5 ms apart; the reader may merge a few, never most of them
    expect(got.reads).toBeGreaterThan(10);
    expect(got.ms).toBeGreaterThan(60);
  });

  it('holds the end of the stream back with slow-close', async () => {
    const port = await talkerUpstream(Buffer.from('bye'));
    const { addr } = await startProxy(port, { faults: faults({ toxic: 'slow-close', delay: '300ms' }) });
    const got = await readAll(await dial(addr.port));
    expect(got.data.toString()).toBe('bye');
    expect(got.ended).toBe(true);
    expect(got.ms - (got.firstDataMs ?? 0)).toBeGreaterThan(250);
  });

  it('applies a toxic to the seeded share of connections', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream(), { faults: faults({ toxic: 'reset-peer', toxicity: '30%' }) });
    let resets = 0;
    const n = 150;
    for (let i = 0; i < n; i++) {
      const socket = await dial(addr.port);
      const got = readAll(socket, 2000);
      socket.end('x');
      if ((await got).error === 'ECONNRESET') resets++;
    }
    const sd = Math.sqrt(n * 0.3 * 0.7);
    expect(Math.abs(resets - n * 0.3)).toBeLessThan(4 * sd);
    expect(proxy.stats().faults[0]).toMatchObject({ connectionsSelected: resets, connectionsAffected: resets });
  });

  it('puts nothing on any connection at 0% toxicity', async () => {
    const port = await echoUpstream();
    const { proxy, addr } = await startProxy(port, { faults: faults({ toxic: 'timeout', toxicity: '0%' }) });
    for (let i = 0; i < 20; i++) await roundTrip(await dial(addr.port), 'through');
    expect(proxy.stats().faults[0]).toMatchObject({ applied: 0, connectionsSelected: 0, connectionsAffected: 0 });
  });

  it('switches latency on and off on an open connection without dropping it', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream());
    const socket = await dial(addr.port);
    let closed = false;
    socket.on('close', () => (closed = true));
    const before = await medianRtt(socket, 5);
    proxy.setFaults(faults({ toxic: 'latency', latency: '80ms' }));
    const during = await medianRtt(socket, 5);
    proxy.clearFaults();
    const after = await medianRtt(socket, 5);
    expect(during - before).toBeGreaterThan(70);
    expect(after).toBeLessThan(during / 4);
    expect(closed).toBe(false);
    expect(proxy.stats().connections.total).toBe(1);
  });

  it('applies a fault added mid-connection to the very next chunk of a busy pass-through connection', async () => {
    const { proxy, addr } = await startProxy(await echoUpstream());
    const socket = await dial(addr.port);
    // warm the pass-through path: many chunks through the fast path first
    for (let i = 0; i < 50; i++) await roundTrip(socket, 'warm');
    proxy.setFaults(faults({ toxic: 'latency', latency: '80ms' }));
    // not a median: the first round trip after the fault is set must already carry it
    expect(await roundTrip(socket, 'first')).toBeGreaterThanOrEqual(79);
    proxy.setFaults(faults({ toxic: 'limit-data', bytes: 4 }));
    // the latency is gone, and the next chunk already meets the new fault: 4 bytes, then the close
    const got: Buffer[] = [];
    socket.on('data', (c: Buffer) => got.push(c));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('abcdefgh');
    await closed;
    expect(Buffer.concat(got).toString()).toBe('abcd');
  });
});

/** A payload whose every 4 bytes hold their own offset: a lost, doubled or moved byte shows. */
function pattern(bytes: number): Buffer {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i + 4 <= bytes; i += 4) data.writeUInt32LE(i, i);
  return data;
}

/** The first offset where `got` differs from `want`, or -1 (to say where a stream broke). */
function firstDifference(got: Buffer, want: Buffer): number {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return got.length === want.length ? -1 : n;
}

describe('fault proxy: data path', () => {
  it('keeps every byte in order both ways while latency goes on and off mid-stream and the reader lags', async () => {
    const data = pattern(16 * 1024 * 1024);
    const { proxy, addr } = await startProxy(await echoUpstream());
    const socket = await dial(addr.port);
    const chunks: Buffer[] = [];
    let got = 0;
    const echoed = new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        // a slow reader now and then (once long enough to fill the kernel's buffers): the proxy's
        // writes to it queue up while the upstream keeps sending
        if (chunks.length === 1 || chunks.length % 40 === 0) {
          socket.pause();
          setTimeout(() => socket.resume(), chunks.length === 1 ? 400 : 15);
        }
        if (got >= data.length) resolve();
      });
    });
    const writing = (async () => {
      for (let off = 0; off < data.length; off += 48 * 1024) {
        if (!socket.write(data.subarray(off, off + 48 * 1024))) await new Promise((r) => socket.once('drain', r));
      }
    })();
    // the fault switches on and off 12 times while bytes flow each way (bounded: 12 steps)
    for (let i = 0; i < 12 && got < data.length; i++) {
      proxy.setFaults(i % 2 === 0 ? faults({ toxic: 'latency', latency: '3ms', jitter: '2ms', direction: 'both' }) : []);
      await new Promise((r) => setTimeout(r, i < 2 ? 250 : 40));
    }
    proxy.clearFaults();
    await writing;
    await Promise.race([echoed, new Promise((r) => setTimeout(r, 20_000))]);
    const received = Buffer.concat(chunks);
    expect(firstDifference(received, data)).toBe(-1);
  });

  it('never releases a delayed chunk before its time, and keeps the order of every connection each way', async () => {
    const LATENCY_MS = 30;
    const CONNECTIONS = 12;
    const MESSAGES = 20;
    // one process, one clock: the upstream stamps when each message reached it
    const reachedUpstream = new Map<string, number>();
    const upstreamPort = await listen(
      createServer((s) => {
        let pending = Buffer.alloc(0);
        s.on('data', (d: Buffer) => {
          const now = performance.now();
          pending = Buffer.concat([pending, d]);
          while (pending.length >= 8) {
            reachedUpstream.set(`${pending.readUInt32LE(0)}:${pending.readUInt32LE(4)}`, now);
            s.write(pending.subarray(0, 8));
            pending = pending.subarray(8);
          }
        });
      }),
    );
    const { addr } = await startProxy(upstreamPort, { faults: faults({ toxic: 'latency', latency: `${LATENCY_MS}ms`, direction: 'both' }) });
    const sent = new Map<string, number>();
    const early: string[] = [];
    const outOfOrder: string[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, conn) => {
        const socket = await dial(addr.port);
        let pending = Buffer.alloc(0);
        let expected = 0;
        const done = new Promise<void>((resolve) => {
          socket.on('data', (d: Buffer) => {
            const now = performance.now();
            pending = Buffer.concat([pending, d]);
            while (pending.length >= 8) {
              const key = `${pending.readUInt32LE(0)}:${pending.readUInt32LE(4)}`;
              if (pending.readUInt32LE(4) !== expected) outOfOrder.push(`${key} came when ${expected} was due`);
              expected++;
              const up = reachedUpstream.get(key) ?? NaN;
              // 0.05 ms: the queue's own release margin (0.02 ms) plus timestamp noise
              if (!(up - (sent.get(key) ?? NaN) >= LATENCY_MS - 0.05)) early.push(`${key} upstream after ${(up - (sent.get(key) ?? NaN)).toFixed(3)} ms`);
              if (!(now - up >= LATENCY_MS - 0.05)) early.push(`${key} back after ${(now - up).toFixed(3)} ms`);
              pending = pending.subarray(8);
            }
            if (expected >= MESSAGES) resolve();
          });
        });
        for (let seq = 0; seq < MESSAGES; seq++) {
          const message = Buffer.alloc(8);
          message.writeUInt32LE(conn, 0);
          message.writeUInt32LE(seq, 4);
          sent.set(`${conn}:${seq}`, performance.now());
          socket.write(message);
          await new Promise((r) => setTimeout(r, Math.random() * 4));
        }
        await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
        expect(expected).toBe(MESSAGES);
      }),
    );
    expect(early).toEqual([]);
    expect(outOfOrder).toEqual([]);
  });
});

describe('fault proxy: HTTP faults', () => {
  it('aborts the seeded share of matching requests and leaves the rest alone', async () => {
    const upstream = await httpUpstream();
    const { proxy, addr } = await startProxy(upstream.port, {
      faults: faults({ toxic: 'http-abort', id: 'break-checkout', status: 503, toxicity: '25%', match: { pathPrefix: '/checkout' } }),
    });
    const agent = keepAliveAgent();
    const n = 300;
    const aborted: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await httpCall(agent, addr.port, 'POST', '/checkout', { 'content-type': 'text/plain' }, 'card=4242');
      if (r.status === 503) {
        aborted.push(i);
        expect(r.headers['x-firedrill-fault']).toBe('break-checkout');
      } else {
        expect(r).toMatchObject({ status: 200, body: 'POST /checkout 9' });
      }
      expect(await httpCall(agent, addr.port, 'GET', '/health')).toMatchObject({ status: 200, body: 'ok' });
    }
    const sd = Math.sqrt(n * 0.25 * 0.75);
    expect(Math.abs(aborted.length - n * 0.25)).toBeLessThan(4 * sd);
    expect(upstream.hits.get('/checkout')).toBe(n - aborted.length);
    expect(upstream.hits.get('/health')).toBe(n);
    const stats = proxy.stats();
    expect(stats.connections.total).toBe(1); // keep-alive survived every abort
    expect(stats.faults[0]).toMatchObject({ id: 'break-checkout', applied: aborted.length, requestsMatched: n, connectionsAffected: 1 });

    // the same seed replays the same choices, whatever other requests the connection carries
    const again = await startProxy(upstream.port, { faults: faults({ toxic: 'http-abort', id: 'break-checkout', toxicity: '25%' }) });
    const agent2 = keepAliveAgent();
    const replay: number[] = [];
    for (let i = 0; i < 40; i++) {
      if ((await httpCall(agent2, again.addr.port, 'POST', '/checkout', {}, 'card=4242')).status === 503) replay.push(i);
    }
    expect(replay).toEqual(aborted.filter((i) => i < 40));
  });

  it('matches by method and header', async () => {
    const upstream = await httpUpstream();
    const { addr } = await startProxy(upstream.port, {
      faults: faults({ toxic: 'http-abort', status: 502, match: { method: 'POST', pathPrefix: '/checkout', headers: { 'x-drill': '/^yes$/' } } }),
    });
    const agent = keepAliveAgent();
    expect((await httpCall(agent, addr.port, 'POST', '/checkout/pay', { 'x-drill': 'yes' }, 'a')).status).toBe(502);
    expect((await httpCall(agent, addr.port, 'POST', '/checkout/pay', { 'x-drill': 'no' }, 'a')).status).toBe(200);
    expect((await httpCall(agent, addr.port, 'GET', '/checkout', { 'x-drill': 'yes' })).status).toBe(200);
    expect((await httpCall(agent, addr.port, 'POST', '/checkouts', { 'x-drill': 'yes' }, 'a')).status).toBe(200);
  });

  it('delays matching requests only', async () => {
    const upstream = await httpUpstream();
    const { addr } = await startProxy(upstream.port, { faults: faults({ toxic: 'http-delay', delay: '150ms', match: { pathPrefix: '/slow' } }) });
    const agent = keepAliveAgent();
    const time = async (path: string): Promise<number> => {
      const t0 = performance.now();
      expect((await httpCall(agent, addr.port, 'GET', path)).status).toBe(200);
      return performance.now() - t0;
    };
    await time('/health');
    const fast = median([await time('/health'), await time('/health'), await time('/health')]);
    const slow = median([await time('/slow'), await time('/slow'), await time('/slow')]);
    expect(slow - fast).toBeGreaterThan(140);
    expect(slow - fast).toBeLessThan(300);
  });

  it('answers pipelined requests in order when one of them is aborted', async () => {
    const upstream = await httpUpstream();
    const { addr } = await startProxy(upstream.port, { faults: faults({ toxic: 'http-abort', status: 503, match: { pathPrefix: '/checkout' } }) });
    const socket = await dial(addr.port);
    const got = readAll(socket);
    socket.end(
      'GET /health HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /checkout HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody' +
        'GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const text = (await got).data.toString();
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 503, 200]);
    expect(text.indexOf('ok')).toBeLessThan(text.indexOf('x-firedrill-fault'));
    expect(text.endsWith('GET /other 0')).toBe(true);
    expect(upstream.hits.get('/checkout')).toBeUndefined();
  });

  it('switches HTTP faults on and off on an open keep-alive connection', async () => {
    const upstream = await httpUpstream();
    const { proxy, addr } = await startProxy(upstream.port);
    const agent = keepAliveAgent();
    const first = await httpCall(agent, addr.port, 'POST', '/checkout', {}, 'x');
    expect(first.status).toBe(200);
    proxy.setFaults(faults({ toxic: 'http-abort', status: 500, match: { pathPrefix: '/checkout' } }));
    const broken = await httpCall(agent, addr.port, 'POST', '/checkout', {}, 'x');
    const health = await httpCall(agent, addr.port, 'GET', '/health');
    proxy.clearFaults();
    const healed = await httpCall(agent, addr.port, 'POST', '/checkout', {}, 'x');
    expect([broken.status, health.status, healed.status]).toEqual([500, 200, 200]);
    expect(new Set([first.localPort, broken.localPort, health.localPort, healed.localPort]).size).toBe(1);
    expect(proxy.stats().connections.total).toBe(1);
  });

  it('consumes the chunked body of an aborted request and keeps the connection for the next one', async () => {
    const upstream = await httpUpstream();
    const { proxy, addr } = await startProxy(upstream.port, { faults: faults({ toxic: 'http-abort', status: 503, match: { method: 'PUT' } }) });
    const socket = await dial(addr.port);
    const got = readAll(socket);
    socket.write('PUT /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await new Promise((r) => setTimeout(r, 30)); // the body arrives in pieces
    socket.write('6\r\n world\r\n0\r\n\r\n');
    socket.write('HEAD /upload HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.end('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const text = (await got).data.toString();
    expect([...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))).toEqual([503, 200, 200]);
    expect(text.endsWith('ok')).toBe(true);
    expect(upstream.hits.get('/upload')).toBe(1); // only the HEAD went through
    expect(proxy.stats().connections.total).toBe(1);
  });

  it('answers an aborted HEAD request with headers only', async () => {
    const upstream = await httpUpstream();
    const { addr } = await startProxy(upstream.port, { faults: faults({ toxic: 'http-abort', status: 503, match: { method: 'HEAD' } }) });
    const socket = await dial(addr.port);
    const got = readAll(socket);
    socket.end('HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const text = (await got).data.toString();
    expect(text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[^]*?\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(text.endsWith('ok')).toBe(true);
  });

  it('closes the connection after answering a request that asked for it', async () => {
    const upstream = await httpUpstream();
    const { addr } = await startProxy(upstream.port, { faults: faults({ toxic: 'http-abort', status: 429 }) });
    const socket = await dial(addr.port);
    const got = readAll(socket);
    socket.write('GET /x HTTP/1.0\r\n\r\n');
    const r = await got;
    expect(r.data.toString()).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n[\s\S]*connection: close/);
    expect(r.ended).toBe(true);
  });
});
