/**
 * The fault proxy side by side with a direct connection and with haproxy (TCP mode), on loopback,
 * with bounded load. The upstream servers and the proxy each run in their own process, like
 * haproxy, so the load generator (this process) shares nothing with them.
 *
 *   npx tsx test/bench/run.ts proxy
 *
 * This file is also the child: with FD_PROXY_BENCH_ROLE=upstream it serves echo + sink, with
 * FD_PROXY_BENCH_ROLE=proxy it runs two FaultProxy instances in front of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, percentile } from './_figure.js';
import { hasCommand } from '../support/components.js';
import type { ProxyFault } from '../../src/targets/proxy/engine/schema.js';

const HOST = '127.0.0.1';
const ROLE_ENV = 'FD_PROXY_BENCH_ROLE';
const CHUNK = Buffer.alloc(64 * 1024, 0x5a);
const PING = Buffer.alloc(32, 0x70);

// bounds: every loop below stops by count and by time
const THROUGHPUT_MS = 1000;
const ROUNDS = 5;
const ONE_CONN_REQUESTS = 1000;
const FIFTY_CONN_REQUESTS = 100; // per connection: 5k round trips
const LOAD_CAP_MS = 15_000;

interface Ports {
  echo: number;
  sink: number;
}

// ---------------------------------------------------------------------------------------------
// child roles

async function serveUpstream(): Promise<void> {
  const echo = createServer({ noDelay: true }, (s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  const sink = createServer({ allowHalfOpen: true }, (s) => {
    let bytes = 0;
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => (bytes += d.length));
    s.on('end', () => s.end(String(bytes)));
  });
  await Promise.all([echo, sink].map((srv) => new Promise<void>((r) => srv.listen(0, HOST, r))));
  const port = (srv: typeof echo): number => (srv.address() as { port: number }).port;
  process.send?.({ echo: port(echo), sink: port(sink) } satisfies Ports);
}

/** The reference: a plain Node `pipe()` proxy with no fault machinery at all. */
async function servePipe(): Promise<void> {
  const upstream = JSON.parse(process.env.FD_PROXY_BENCH_UPSTREAM ?? '{}') as Ports;
  const listenTo = async (port: number): Promise<number> => {
    const srv = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      const up = connect({ host: HOST, port, allowHalfOpen: true, noDelay: true });
      client.on('error', () => up.destroy());
      up.on('error', () => client.destroy());
      client.pipe(up);
      up.pipe(client);
    });
    await new Promise<void>((r) => srv.listen(0, HOST, r));
    return (srv.address() as { port: number }).port;
  };
  process.send?.({ echo: await listenTo(upstream.echo), sink: await listenTo(upstream.sink) } satisfies Ports);
}

async function serveProxy(): Promise<void> {
  // the engine alone: faults arrive already parsed, so this process never loads zod (the runner
  // can host the proxy the same way; see the report on heap size and throughput)
  const { FaultProxy } = await import('../../src/targets/proxy/engine/fault-proxy.js');
  const upstream = JSON.parse(process.env.FD_PROXY_BENCH_UPSTREAM ?? '{}') as Ports;
  const echo = new FaultProxy();
  const sink = new FaultProxy();
  const ports: Ports = {
    echo: (await echo.start({ name: 'bench-echo', upstream: { host: HOST, port: upstream.echo }, seed: 1 })).port,
    sink: (await sink.start({ name: 'bench-sink', upstream: { host: HOST, port: upstream.sink }, seed: 1 })).port,
  };
  process.on('message', (msg: { faults?: ProxyFault[] }) => {
    if (msg.faults) {
      echo.setFaults(msg.faults);
      process.send?.({ ok: true });
    }
  });
  process.send?.(ports);
}

// ---------------------------------------------------------------------------------------------
// processes

const children = new Set<ChildProcess>();

function stopChild(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function nextMessage<T>(child: ChildProcess, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: unknown): void => {
      done();
      resolve(m as T);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`child exited (${code})`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('child did not answer'));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function spawnRole(role: 'upstream' | 'proxy' | 'pipe', env: Record<string, string> = {}): Promise<{ child: ChildProcess; ports: Ports }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, [ROLE_ENV]: role },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  return { child, ports: await nextMessage<Ports>(child) };
}

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

async function startHaproxy(upstream: Ports, dir: string): Promise<{ child: ChildProcess; ports: Ports }> {
  const ports: Ports = { echo: await freePort(), sink: await freePort() };
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(
    cfg,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      'listen echo',
      `  bind ${HOST}:${ports.echo}`,
      `  server up ${HOST}:${upstream.echo}`,
      'listen sink',
      `  bind ${HOST}:${ports.sink}`,
      `  server up ${HOST}:${upstream.sink}`,
      '',
    ].join('\n'),
  );
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  await waitListening(ports.echo);
  await waitListening(ports.sink);
  return { child, ports };
}

/** CPU time (user + system) of a process in ms, from /proc (10 ms resolution). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] is utime (field 14), fields[12] stime (field 15), in clock ticks of 10 ms
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

// ---------------------------------------------------------------------------------------------
// load

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Streams 64 KiB chunks for a fixed time; the sink answers with what it received. Bytes/s. */
async function throughput(port: number): Promise<number> {
  const s = await dial(port);
  const t0 = performance.now();
  while (performance.now() - t0 < THROUGHPUT_MS) {
    if (!s.write(CHUNK)) await new Promise((r) => s.once('drain', r));
  }
  const reply = new Promise<string>((resolve) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('end', () => resolve(text));
  });
  s.end();
  const received = Number(await reply);
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  return received / seconds;
}

interface PingOptions {
  conns: number;
  requests: number;
  /** start request k of a connection no earlier than k × period after its (staggered) start */
  periodMs?: number;
}

/** Small request/response round trips over `conns` connections; returns each RTT in µs. */
async function pings(port: number, o: PingOptions): Promise<number[]> {
  const sockets = await Promise.all(Array.from({ length: o.conns }, () => dial(port)));
  const rtts: number[] = [];
  const deadline = performance.now() + LOAD_CAP_MS;
  await Promise.all(
    sockets.map(async (s, i) => {
      let waiting: (() => void) | undefined;
      let got = 0;
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= PING.length && waiting) {
          got -= PING.length;
          const w = waiting;
          waiting = undefined;
          w();
        }
      });
      const start = performance.now() + (o.periodMs ? (i / o.conns) * o.periodMs : 0);
      for (let k = 0; k < o.requests && performance.now() < deadline; k++) {
        if (o.periodMs) {
          const wait = start + k * o.periodMs - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          waiting = resolve;
          s.write(PING);
        });
        rtts.push((performance.now() - t0) * 1000);
      }
    }),
  );
  for (const s of sockets) s.destroy();
  return rtts;
}

// ---------------------------------------------------------------------------------------------

interface Variant {
  name: 'direct' | 'proxy' | 'haproxy' | 'node_pipe';
  ports: Ports;
  pid: number | undefined;
}

const median = (xs: number[]): number => percentile(xs, 50);

export default async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fd-proxy-bench-'));
  // shared machines are noisy: say how busy this one was
  console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`);
  try {
    const upstream = await spawnRole('upstream');
    const proxy = await spawnRole('proxy', { FD_PROXY_BENCH_UPSTREAM: JSON.stringify(upstream.ports) });
    // loaded here, not at the top: the children run this file too and must not load zod
    const { parseProxyFaults } = await import('../../src/targets/proxy/engine/schema.js');
    const setFaults = async (faults: unknown[]): Promise<void> => {
      const ack = nextMessage(proxy.child);
      proxy.child.send({ faults: parseProxyFaults(faults) });
      await ack;
    };
    // the fault machinery is exercised and switched off again: the state a drill leaves behind
    await setFaults([{ toxic: 'latency', latency: '1ms' }, { toxic: 'http-abort', toxicity: '0%' }]);
    await setFaults([]);
    const variants: Variant[] = [
      { name: 'direct', ports: upstream.ports, pid: undefined },
      { name: 'proxy', ports: proxy.ports, pid: proxy.child.pid },
    ];
    const pipe = await spawnRole('pipe', { FD_PROXY_BENCH_UPSTREAM: JSON.stringify(upstream.ports) });
    variants.push({ name: 'node_pipe', ports: pipe.ports, pid: pipe.child.pid });
    if (hasCommand('haproxy')) {
      const haproxy = await startHaproxy(upstream.ports, dir);
      variants.push({ name: 'haproxy', ports: haproxy.ports, pid: haproxy.child.pid });
    } else {
      console.log('NOTE haproxy is not installed (apt-get install -y haproxy); haproxy figures skipped');
    }

    // warm up every path (JIT, connection setup)
    for (const v of variants) await pings(v.ports.echo, { conns: 10, requests: 100 });

    // Rounds rotate the order and every figure is a per-round comparison with the direct run of
    // the same round, so a machine that gets busier or quieter mid-bench moves all variants alike.
    const perRound = new Map<string, { tput: number[]; one: number[]; p50: number[]; p99: number[]; cpuMs: number; requests: number }>();
    for (const v of variants) perRound.set(v.name, { tput: [], one: [], p50: [], p99: [], cpuMs: 0, requests: 0 });
    for (let round = 0; round < ROUNDS; round++) {
      const order = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)];
      for (const v of order) perRound.get(v.name)?.tput.push(await throughput(v.ports.sink));
      for (const v of order) perRound.get(v.name)?.one.push(median(await pings(v.ports.echo, { conns: 1, requests: ONE_CONN_REQUESTS })));
      for (const v of order) {
        const r = perRound.get(v.name);
        if (!r) continue;
        const cpu0 = v.pid ? await cpuMs(v.pid) : 0;
        const rtts = await pings(v.ports.echo, { conns: 50, requests: FIFTY_CONN_REQUESTS });
        r.cpuMs += v.pid ? (await cpuMs(v.pid)) - cpu0 : 0;
        r.requests += rtts.length;
        r.p50.push(percentile(rtts, 50));
        r.p99.push(percentile(rtts, 99));
      }
    }

    const direct = perRound.get('direct');
    if (!direct) throw new Error('no direct run');
    const vsDirect = (xs: number[], base: number[], f: (x: number, b: number) => number): number =>
      median(xs.map((x, i) => f(x, base[i] as number)));
    for (const v of variants) {
      const r = perRound.get(v.name);
      if (!r) continue;
      console.log(
        `NOTE ${v.name}: ${(median(r.tput) / 1e6).toFixed(0)} MB/s; 1 conn p50 ${median(r.one).toFixed(0)} µs;` +
          ` 50 conns p50 ${median(r.p50).toFixed(0)} µs p99 ${median(r.p99).toFixed(0)} µs (medians of ${ROUNDS} rounds)`,
      );
      if (v.name === 'direct') continue;
      figure(`${v.name}_throughput_ratio`, vsDirect(r.tput, direct.tput, (x, b) => x / b), 'x');
      figure(`${v.name}_added_p50_us`, vsDirect(r.p50, direct.p50, (x, b) => x - b), 'us');
      figure(`${v.name}_added_p99_us`, vsDirect(r.p99, direct.p99, (x, b) => x - b), 'us');
      figure(`${v.name}_added_p50_us_1conn`, vsDirect(r.one, direct.one, (x, b) => x - b), 'us');
      if (r.requests > 0) figure(`${v.name}_cpu_ms_per_10k_req`, (r.cpuMs / r.requests) * 10_000, 'ms');
    }

    // firedrill's proxy against haproxy, per round (the same round's numbers side by side)
    const mine = perRound.get('proxy');
    const ref = perRound.get('haproxy');
    if (mine && ref && ref.requests > 0 && ref.cpuMs > 0) {
      const addedP99 = (r: typeof mine): number[] => r.p99.map((x, i) => x - (direct.p99[i] as number));
      const p99Ratios = addedP99(mine).map((x, i) => x / Math.max(1, addedP99(ref)[i] as number));
      const tputRatios = mine.tput.map((x, i) => x / (ref.tput[i] as number));
      const spread = (xs: number[]): string => `min ${Math.min(...xs).toFixed(2)} / median ${median(xs).toFixed(2)} / max ${Math.max(...xs).toFixed(2)}`;
      console.log(`NOTE proxy vs haproxy per round: throughput ${spread(tputRatios)}; added p99 ${spread(p99Ratios)}`);
      figure('proxy_cpu_per_req_vs_haproxy', mine.cpuMs / mine.requests / (ref.cpuMs / ref.requests), 'x');
      figure('proxy_throughput_vs_haproxy', median(tputRatios), 'x');
      figure('proxy_added_p99_vs_haproxy', median(p99Ratios), 'x');
    }

    // latency accuracy is its own bench (latency-accuracy.ts): raw RTTs, Toxiproxy beside it
    console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} at the end`);
  } finally {
    await Promise.all([...children].map(stopChild));
    await rm(dir, { recursive: true, force: true });
  }
}

const role = process.env[ROLE_ENV];
if (role !== undefined) {
  // a child never outlives the bench that started it
  process.on('disconnect', () => process.exit(0));
  if (role === 'upstream') await serveUpstream();
  else if (role === 'proxy') await serveProxy();
  else if (role === 'pipe') await servePipe();
}
