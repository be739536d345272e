/**
 * How exact a 100 ms latency fault is, firedrill's proxy side by side with Toxiproxy, in one run.
 * Both proxies sit in front of one real redis-server; both add 100 ms to the responses
 * (downstream). 200 connections each send PING and wait for PONG, paced (one request per
 * connection every 150 ms, connections staggered), in rounds that alternate the two proxies.
 * The error of a sample is its raw round-trip time minus 100 ms: no baseline is subtracted (the
 * proxy's own pass-through time counts against it), and the percentiles are taken over every
 * sample of every round. firedrill's proxy runs as the drill runs it: dist/.../proxy-host-main.js
 * in its own process, faults sent over IPC. A no-fault round trip through each is printed as a note.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/cli.js';
import { hasCommand } from '../support/components.js';
import { figure, percentile } from './_figure.js';

const HOST = '127.0.0.1';
const CONNS = 200;
const REQUESTS = 8; // per connection and round
const PERIOD_MS = 150;
const ROUNDS = 5;
const LATENCY_MS = 100;
const LOAD_CAP_MS = 20_000;
const TOXIPROXY = join(repoRoot, '..', '..', 'shared', 'anchors', 'toxiproxy', 'toxiproxy-server');
const TOXIPROXY_ALT = '/work/shared/anchors/toxiproxy/toxiproxy-server';
const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const PONG_BYTES = '+PONG\r\n'.length;

const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, HOST, r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitListening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, HOST, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

function start(file: string, args: string[]): ChildProcess {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  return child;
}

async function startRedis(): Promise<number> {
  const port = await freePort();
  start('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--maxclients', '1000']);
  await waitListening(port);
  return port;
}

/** firedrill's proxy host process, as a drill starts it; returns its port and a fault setter. */
async function startFiredrillProxy(upstream: number): Promise<{ port: number; setLatency: (on: boolean) => Promise<void> }> {
  const { parseProxyFaults } = (await import(join(repoRoot, 'dist', 'targets', 'proxy', 'engine', 'schema.js'))) as typeof import('../../src/targets/proxy/engine/schema.js');
  const child = fork(join(repoRoot, 'dist', 'targets', 'proxy', 'engine', 'proxy-host-main.js'), [JSON.stringify({ name: 'bench', upstream: { host: HOST, port: upstream }, seed: 1 })], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  const ready = await new Promise<{ event: string; listen?: { port: number } }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { event: string; listen?: { port: number } }));
    child.once('exit', () => reject(new Error('proxy host exited')));
  });
  if (ready.event !== 'ready' || !ready.listen) throw new Error(`proxy host: ${JSON.stringify(ready)}`);
  let id = 0;
  const setLatency = async (on: boolean): Promise<void> => {
    const faults = on ? parseProxyFaults([{ toxic: 'latency', latency: `${LATENCY_MS}ms` }]) : [];
    const request = { id: ++id, op: 'set', faults };
    const answered = new Promise<void>((resolve) => {
      const onMessage = (m: unknown): void => {
        if ((m as { id?: number }).id === request.id) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
    });
    child.send(request);
    await answered;
  };
  return { port: ready.listen.port, setLatency };
}

async function startToxiproxy(upstream: number): Promise<{ port: number; setLatency: (on: boolean) => Promise<void> } | undefined> {
  const file = [TOXIPROXY, TOXIPROXY_ALT].find((f) => existsSync(f));
  if (!file) return undefined;
  const api = await freePort();
  const port = await freePort();
  start(file, ['-host', HOST, '-port', String(api)]);
  await waitListening(api);
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const r = await fetch(`http://${HOST}:${api}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) throw new Error(`toxiproxy ${method} ${path}: ${r.status} ${await r.text()}`);
  };
  await call('POST', '/proxies', { name: 'bench', listen: `${HOST}:${port}`, upstream: `${HOST}:${upstream}`, enabled: true });
  await waitListening(port);
  return {
    port,
    setLatency: (on) =>
      on
        ? call('POST', '/proxies/bench/toxics', { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: LATENCY_MS, jitter: 0 } })
        : call('DELETE', '/proxies/bench/toxics/lat'),
  };
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Paced PING/PONG over CONNS connections; every round trip in ms. */
async function pings(port: number, requests: number): Promise<number[]> {
  const sockets = await Promise.all(Array.from({ length: CONNS }, () => dial(port)));
  const rtts: number[] = [];
  const deadline = performance.now() + LOAD_CAP_MS;
  await Promise.all(
    sockets.map(async (s, i) => {
      let waiting: (() => void) | undefined;
      let got = 0;
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= PONG_BYTES && waiting) {
          got -= PONG_BYTES;
          const w = waiting;
          waiting = undefined;
          w();
        }
      });
      const begin = performance.now() + (i / CONNS) * PERIOD_MS;
      for (let k = 0; k < requests && performance.now() < deadline; k++) {
        const wait = begin + k * PERIOD_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          waiting = resolve;
          s.write(PING);
        });
        rtts.push(performance.now() - t0);
      }
    }),
  );
  for (const s of sockets) s.destroy();
  return rtts;
}

function describe(name: string, xs: number[]): string {
  return `${name}: ${xs.length} samples, p50 ${percentile(xs, 50).toFixed(2)} p99 ${percentile(xs, 99).toFixed(2)} max ${Math.max(...xs).toFixed(2)} ms`;
}

export default async function run(): Promise<void> {
  if (!hasCommand('redis-server')) {
    console.log('NOTE redis-server is not installed (apt-get install -y redis-server); latency-accuracy skipped');
    return;
  }
  console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`);
  try {
    const redis = await startRedis();
    const variants = [{ name: 'firedrill', ...(await startFiredrillProxy(redis)) }];
    const toxiproxy = await startToxiproxy(redis);
    if (toxiproxy) variants.push({ name: 'toxiproxy', ...toxiproxy });
    else console.log('NOTE Toxiproxy not found at ../shared/anchors/toxiproxy; its figures are skipped');

    const plain = new Map<string, number[]>();
    const faulted = new Map<string, number[]>();
    for (const v of variants) {
      // warm-up (JIT, connection setup, the queue's thread), then a no-fault reference
      await v.setLatency(true);
      await pings(v.port, 2);
      await v.setLatency(false);
      plain.set(v.name, await pings(v.port, 2));
      faulted.set(v.name, []);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await v.setLatency(true);
        faulted.get(v.name)?.push(...(await pings(v.port, REQUESTS)));
        await v.setLatency(false);
      }
    }
    for (const v of variants) {
      console.log(`NOTE ${describe(`${v.name} without fault`, plain.get(v.name) ?? [])}`);
      const errors = (faulted.get(v.name) ?? []).map((rtt) => rtt - LATENCY_MS);
      console.log(`NOTE ${describe(`${v.name} ${LATENCY_MS} ms fault, RTT - ${LATENCY_MS} ms`, errors)}; min ${Math.min(...errors).toFixed(2)} ms`);
      const prefix = v.name === 'firedrill' ? '' : `${v.name}_`;
      figure(`${prefix}latency_fault_p50_error_ms`, percentile(errors, 50), 'ms');
      figure(`${prefix}latency_fault_p99_error_ms`, percentile(errors, 99), 'ms');
    }
    console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} at the end`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
