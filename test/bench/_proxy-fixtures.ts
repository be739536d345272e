/**
 * What the proxy benches share: the processes they start (redis-server, firedrill's proxy host,
 * haproxy, Toxiproxy, a plain Node pipe), every one of them stopped by `stopAll`, and the
 * measurements taken from outside (CPU time from /proc, redis-benchmark's report).
 */
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/cli.js';
import { percentile } from '../../src/verdict/percentile.js';
import type { ProxyFault } from '../../src/targets/proxy/engine/schema.js';

export const HOST = '127.0.0.1';
const TOXIPROXY = [join(repoRoot, '..', '..', 'shared', 'anchors', 'toxiproxy', 'toxiproxy-server'), '/work/shared/anchors/toxiproxy/toxiproxy-server'];

const children = new Set<ChildProcess>();

/** A proxy under test: where to connect, its process (for CPU time) and how to switch a latency fault. */
export interface BenchProxy {
  name: string;
  port: number;
  pid: number | undefined;
  setLatency?: (latencyMs: number | undefined) => Promise<void>;
}

/** Stops every process a bench started (SIGTERM, SIGKILL after 3 s). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...children].map((child) => {
      children.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }),
  );
}

function start(file: string, args: string[]): ChildProcess {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  return child;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, HOST, r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export async function waitListening(port: number, timeoutMs = 20_000): Promise<void> {
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

/** redis-server on a free loopback port, no persistence. */
export async function startRedis(): Promise<number> {
  const port = await freePort();
  start('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--maxclients', '2000']);
  await waitListening(port);
  return port;
}

/**
 * firedrill's proxy host process (`dist/.../proxy-host-main.js`), started as a drill starts it;
 * faults go over IPC. `dist` may point at another build (an A/B against an older engine).
 */
export async function startFiredrillProxy(name: string, upstream: number, dist = join(repoRoot, 'dist')): Promise<BenchProxy> {
  const { parseProxyFaults } = (await import(join(repoRoot, 'dist', 'targets', 'proxy', 'engine', 'schema.js'))) as typeof import('../../src/targets/proxy/engine/schema.js');
  const { PROXY_HOST_NODE_FLAGS: hostFlags } = (await import(join(repoRoot, 'dist', 'targets', 'proxy', 'engine', 'host-flags.js'))) as typeof import('../../src/targets/proxy/engine/host-flags.js');
  const child = fork(join(dist, 'targets', 'proxy', 'engine', 'proxy-host-main.js'), [JSON.stringify({ name, upstream: { host: HOST, port: upstream }, seed: 1 })], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // as a drill starts it (managed-proxy.ts): its own flags, not the bench's own tsx loader;
    // FD_BENCH_PROXY_BEFORE_NODE_FLAGS (e.g. --cpu-prof) goes to another build only, for an A/B or a profile
    execArgv: dist === join(repoRoot, 'dist') ? [...hostFlags] : (process.env.FD_BENCH_PROXY_BEFORE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  });
  children.add(child);
  const ready = await new Promise<{ event: string; listen?: { port: number } }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { event: string; listen?: { port: number } }));
    child.once('exit', () => reject(new Error('proxy host exited')));
  });
  if (ready.event !== 'ready' || !ready.listen) throw new Error(`proxy host: ${JSON.stringify(ready)}`);
  let id = 0;
  const set = async (faults: ProxyFault[]): Promise<void> => {
    const request = { id: ++id, op: 'set', faults };
    await new Promise<void>((resolve) => {
      const onMessage = (m: unknown): void => {
        if ((m as { id?: number }).id !== request.id) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.send(request);
    });
  };
  return {
    name,
    port: ready.listen.port,
    pid: child.pid,
    setLatency: (ms) => set(ms === undefined ? [] : parseProxyFaults([{ toxic: 'latency', latency: `${ms}ms` }])),
  };
}

/** Toxiproxy (../shared/anchors/toxiproxy) with one proxy to `upstream`; undefined when it is not there. */
export async function startToxiproxy(upstream: number): Promise<BenchProxy | undefined> {
  const file = TOXIPROXY.find((f) => existsSync(f));
  if (!file) return undefined;
  const api = await freePort();
  const port = await freePort();
  const child = start(file, ['-host', HOST, '-port', String(api)]);
  await waitListening(api);
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const r = await fetch(`http://${HOST}:${api}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) throw new Error(`toxiproxy ${method} ${path}: ${r.status} ${await r.text()}`);
  };
  await call('POST', '/proxies', { name: 'bench', listen: `${HOST}:${port}`, upstream: `${HOST}:${upstream}`, enabled: true });
  await waitListening(port);
  return {
    name: 'toxiproxy',
    port,
    pid: child.pid,
    setLatency: (ms) =>
      ms === undefined
        ? call('DELETE', '/proxies/bench/toxics/lat')
        : call('POST', '/proxies/bench/toxics', { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: ms, jitter: 0 } }),
  };
}

/** haproxy in TCP mode (Debian's package, its defaults: one thread per core), one listener per upstream. */
export async function startHaproxy(upstreams: number[], dir: string): Promise<{ ports: number[]; pid: number | undefined }> {
  const ports = await Promise.all(upstreams.map(() => freePort()));
  const cfg = join(dir, 'haproxy.cfg');
  const lines = ['global', '  maxconn 4096', 'defaults', '  mode tcp', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s'];
  upstreams.forEach((up, i) => lines.push(`listen l${i}`, `  bind ${HOST}:${ports[i]}`, `  server up ${HOST}:${up}`));
  await writeFile(cfg, `${lines.join('\n')}\n`);
  const child = start('haproxy', ['-db', '-f', cfg]);
  for (const port of ports) await waitListening(port);
  return { ports, pid: child.pid };
}

const PIPE_SOURCE = String.raw`
const net = require('node:net');
const [port, upstream] = process.argv.slice(1).map(Number);
net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
  const up = net.connect({ host: '127.0.0.1', port: upstream, allowHalfOpen: true, noDelay: true });
  client.on('error', () => up.destroy());
  up.on('error', () => client.destroy());
  client.pipe(up);
  up.pipe(client);
}).listen(port, '127.0.0.1');
`;

/** The reference: a plain Node `pipe()` proxy with no fault machinery at all, in its own process. */
export async function startNodePipe(upstream: number): Promise<BenchProxy> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', PIPE_SOURCE, String(port), String(upstream)], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  await waitListening(port);
  return { name: 'node_pipe', port, pid: child.pid };
}

/**
 * A Node proxy that forwards below Node's stream layer (test/bench/_node-forwarders.mjs): `push`
 * bypasses the Readable and Writable state machines, `handle` forwards between the TCP handles
 * (one reused read buffer, direct write requests). The floor a Node proxy can reach.
 */
export async function startNodeForwarder(variant: 'push' | 'handle', upstream: number): Promise<BenchProxy> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'test', 'bench', '_node-forwarders.mjs'), variant, String(port), String(upstream)], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  await waitListening(port);
  return { name: `node_${variant}`, port, pid: child.pid };
}

/** CPU time (user + system, every thread) of a process in ms, from /proc (10 ms ticks). */
export async function cpuMs(pid: number | undefined): Promise<number> {
  const { user, system } = await cpuSplitMs(pid);
  return user + system;
}

/** User and system CPU time (every thread) of a process in ms, from /proc (10 ms ticks). */
export async function cpuSplitMs(pid: number | undefined): Promise<{ user: number; system: number }> {
  if (pid === undefined) return { user: 0, system: 0 };
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] is utime (field 14), fields[12] stime (field 15), in clock ticks of 10 ms
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

export interface RedisBenchResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** redis-benchmark (C, closed loop) PINGs: `conns` connections, `requests` in all, bounded by `timeoutMs`. */
export async function redisBenchmark(port: number, conns: number, requests: number, timeoutMs = 60_000): Promise<RedisBenchResult> {
  const { stdout } = await promisify(execFile)('redis-benchmark', ['-h', HOST, '-p', String(port), '-c', String(conns), '-n', String(requests), '-t', 'ping_mbulk', '--csv'], {
    timeout: timeoutMs,
  });
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const row = stdout
    .trim()
    .split('\n')
    .at(-1)
    ?.split(',')
    .map((f) => Number(f.replaceAll('"', '')));
  if (!row || row.length < 8 || !Number.isFinite(row[1])) throw new Error(`redis-benchmark: ${stdout}`);
  return { rps: row[1] as number, p50Ms: row[4] as number, p99Ms: row[6] as number };
}

/** `min / median / max` of `xs` (nearest-rank median, as the figures use), for NOTE lines. */
export function spread(xs: number[], digits = 2): string {
  return `min ${Math.min(...xs).toFixed(digits)} / median ${percentile(xs, 50).toFixed(digits)} / max ${Math.max(...xs).toFixed(digits)}`;
}

/** An iperf3 server on a free loopback port (serves one test at a time, for the whole bench). */
export async function startIperfServer(): Promise<number> {
  const port = await freePort();
  start('iperf3', ['-s', '-B', HOST, '-p', String(port)]);
  await waitListening(port);
  return port;
}

/** One iperf3 test of `seconds` through `port` (one stream, client → server); received bytes/s. */
export async function iperf(port: number, seconds: number): Promise<number> {
  // the server takes one test at a time and may still be closing the last one (its end went
  // through a proxy): "busy" is retried a few times, 200 ms apart
  for (let attempt = 1; ; attempt++) {
    const { stdout } = await promisify(execFile)('iperf3', ['-c', HOST, '-p', String(port), '-t', String(seconds), '-J'], { timeout: (seconds + 20) * 1000 }).catch(
      (e: { stdout?: string }) => ({ stdout: e.stdout ?? '{}' }),
    );
    const report = JSON.parse(stdout || '{}') as { end?: { sum_received?: { bits_per_second?: number } }; error?: string };
    const bps = report.end?.sum_received?.bits_per_second;
    if (bps !== undefined) return bps / 8;
    if (attempt < 5 && /busy/.test(report.error ?? '')) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    throw new Error(`iperf3: ${report.error ?? stdout.slice(0, 200)}`);
  }
}
