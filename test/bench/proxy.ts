/**
 * Pass-through cost of firedrill's fault proxy (no fault in force) side by side with haproxy, a
 * plain Node `pipe()` proxy, two Node proxies that forward below Node's stream layer (the floor a
 * Node proxy can reach: _node-forwarders.mjs) and a direct connection, on loopback, in interleaved rounds.
 *
 * Every proxy runs in its own process: firedrill's as a drill runs it (the proxy host from dist/,
 * after a fault was set and cleared, the state a drill leaves behind). The upstreams and the load
 * generators are C programs (redis-server + redis-benchmark, iperf3), so the load side costs little
 * and adds little noise. Per round, firedrill's proxy and haproxy run twice (A B .. B A), the others
 * once in between, in a rotating order: iperf3 streams for a fixed time (throughput), then
 * redis-benchmark sends PINGs over 50 connections (closed loop) while the proxy's CPU time (every
 * thread, /proc) is read before and after. The two below-the-stream-layer
 * forwarders take part in the PING runs only (their CPU per request is the point).
 *
 *   npm run bench -- proxy          (FD_BENCH_PROXY_BEFORE_DIST=/other/dist adds that build as `proxy_before`;
 *                                    FD_BENCH_PROXY_ROUNDS=n sets the number of rounds, default 15)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand } from '../support/components.js';
import { figure, percentile } from './_figure.js';
import { more } from './_budget.js';
import {
  cpuSplitMs,
  iperf,
  redisBenchmark,
  spread,
  startFiredrillProxy,
  startHaproxy,
  startIperfServer,
  startNodeForwarder,
  startNodePipe,
  startRedis,
  stopAll,
  type RedisBenchResult,
} from './_proxy-fixtures.js';

// bounds: every load below stops by count and by time
const ROUNDS = Number(process.env.FD_BENCH_PROXY_ROUNDS ?? 15);
const CONNS = 50;
const REQUESTS = 4000; // per run (firedrill's proxies and haproxy run twice a round): short runs pair each proxy with haproxy closely in time
const STREAM_SECONDS = 1;


interface Variant {
  name: string;
  /** where redis PINGs and iperf3 streams enter (no iperf3: PING runs only) */
  redis: number;
  iperf: number | undefined;
  /** the process whose CPU time counts (the redis listener's) */
  pid: number | undefined;
}

interface Rounds {
  bytesPerS: number[];
  load: RedisBenchResult[];
  /** CPU ms per round (the figures use the sums: 10 ms ticks add up over the rounds) */
  cpuMsPerRound: number[];
  cpuMs: number;
  /** of cpuMs, in user space (the rest is the kernel's: syscalls, loopback delivery) */
  userMs: number;
  requests: number;
}

const median = (xs: number[]): number => percentile(xs, 50);

async function variants(dir: string): Promise<Variant[]> {
  const redis = await startRedis();
  const iperfServer = await startIperfServer();
  const list: Variant[] = [{ name: 'direct', redis, iperf: iperfServer, pid: undefined }];
  const firedrill = async (name: string, dist?: string): Promise<Variant> => {
    const r = await startFiredrillProxy(name, redis, dist);
    const i = await startFiredrillProxy(`${name}-iperf`, iperfServer, dist);
    // the fault machinery is exercised and switched off again: the state a drill leaves behind
    await r.setLatency?.(1);
    await r.setLatency?.(undefined);
    return { name, redis: r.port, iperf: i.port, pid: r.pid };
  };
  list.push(await firedrill('proxy'));
  const before = process.env.FD_BENCH_PROXY_BEFORE_DIST;
  if (before) list.push(await firedrill('proxy_before', before));
  const haproxy = await startHaproxy([redis, iperfServer], dir);
  list.push({ name: 'haproxy', redis: haproxy.ports[0] as number, iperf: haproxy.ports[1] as number, pid: haproxy.pid });
  const pipeR = await startNodePipe(redis);
  const pipeI = await startNodePipe(iperfServer);
  list.push({ name: 'node_pipe', redis: pipeR.port, iperf: pipeI.port, pid: pipeR.pid });
  for (const variant of ['push', 'handle'] as const) {
    const f = await startNodeForwarder(variant, redis);
    list.push({ name: f.name, redis: f.port, iperf: undefined, pid: f.pid });
  }
  return list;
}

export default async function run(): Promise<void> {
  const missing = ['redis-server', 'redis-benchmark', 'iperf3', 'haproxy'].filter((c) => !hasCommand(c));
  if (missing.length > 0) {
    console.log(`NOTE ${missing.join(', ')} not installed (apt-get install -y redis-server redis-tools iperf3 haproxy); proxy bench skipped`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fd-proxy-bench-'));
  console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`);
  try {
    const all = await variants(dir);
    // warm-up: JIT, connection setup, TCP buffers
    for (const v of all) {
      await redisBenchmark(v.redis, CONNS, 5000);
      if (v.iperf !== undefined) await iperf(v.iperf, 1);
    }
    const rounds = new Map<string, Rounds>(all.map((v) => [v.name, { bytesPerS: [], load: [], cpuMsPerRound: [], cpuMs: 0, userMs: 0, requests: 0 }]));
    const of = (name: string): Rounds => rounds.get(name) as Rounds;
    const t0 = performance.now();
    // firedrill's proxies and haproxy run twice a round, A B .. B A around the others, so a change
    // of the host's load during the round weighs on both alike; the others rotate in the middle
    const paired = all.filter((v) => v.name === 'haproxy' || v.name.startsWith('proxy'));
    const single = all.filter((v) => !paired.includes(v));
    for (let round = 0; round < ROUNDS && more(round, 6, t0); round++) {
      const block = round % 2 === 0 ? paired : [...paired].reverse();
      const middle = [...single.slice(round % single.length), ...single.slice(0, round % single.length)];
      const order = [...block, ...middle, ...[...block].reverse()];
      const streams = new Map<string, number[]>();
      for (const v of order) if (v.iperf !== undefined) streams.set(v.name, [...(streams.get(v.name) ?? []), await iperf(v.iperf, STREAM_SECONDS)]);
      const loads = new Map<string, { runs: RedisBenchResult[]; cpuMs: number; userMs: number }>();
      for (const v of order) {
        const cpu0 = await cpuSplitMs(v.pid);
        const result = await redisBenchmark(v.redis, CONNS, REQUESTS);
        const cpu1 = await cpuSplitMs(v.pid);
        const l = loads.get(v.name) ?? { runs: [], cpuMs: 0, userMs: 0 };
        l.runs.push(result);
        l.cpuMs += cpu1.user + cpu1.system - cpu0.user - cpu0.system;
        l.userMs += cpu1.user - cpu0.user;
        loads.set(v.name, l);
      }
      // one value per variant and round: the mean of its runs (CPU: the sum)
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const [name, xs] of streams) of(name).bytesPerS.push(mean(xs));
      for (const [name, l] of loads) {
        const r = of(name);
        r.load.push({ rps: mean(l.runs.map((x) => x.rps)), p50Ms: mean(l.runs.map((x) => x.p50Ms)), p99Ms: mean(l.runs.map((x) => x.p99Ms)) });
        r.cpuMsPerRound.push(l.cpuMs);
        r.cpuMs += l.cpuMs;
        r.userMs += l.userMs;
        r.requests += REQUESTS * l.runs.length;
      }
    }

    const direct = of('direct');
    // per round against the same round's direct run: drift of the machine's load cancels out
    const addedP99 = (r: Rounds): number[] => r.load.map((l, i) => (l.p99Ms - (direct.load[i] as RedisBenchResult).p99Ms) * 1000);
    const addedP50 = (r: Rounds): number[] => r.load.map((l, i) => (l.p50Ms - (direct.load[i] as RedisBenchResult).p50Ms) * 1000);
    for (const v of all) {
      const r = of(v.name);
      const rps = r.load.map((l) => l.rps);
      console.log(
        `NOTE ${v.name}: ${r.bytesPerS.length > 0 ? `iperf3 MB/s ${spread(r.bytesPerS.map((b) => b / 1e6), 0)}; ` : ''}PING rps ${spread(rps, 0)};` +
          ` p99 ms ${spread(r.load.map((l) => l.p99Ms))} (${r.load.length} rounds)` +
          (v.name === 'direct' ? '' : `; added p99 us ${spread(addedP99(r), 0)}`) +
          (v.pid === undefined ? '' : `; CPU per 10k requests: user ${((r.userMs / r.requests) * 10_000).toFixed(0)} ms, system ${(((r.cpuMs - r.userMs) / r.requests) * 10_000).toFixed(0)} ms`),
      );
      if (v.name === 'direct') continue;
      if (r.bytesPerS.length > 0) figure(`${v.name}_throughput_ratio`, median(r.bytesPerS.map((b, i) => b / (direct.bytesPerS[i] as number))), 'x');
      figure(`${v.name}_rps_ratio`, median(rps.map((x, i) => x / (direct.load[i] as RedisBenchResult).rps)), 'x');
      figure(`${v.name}_added_p50_us`, median(addedP50(r)), 'us');
      figure(`${v.name}_added_p99_us`, median(addedP99(r)), 'us');
      figure(`${v.name}_cpu_ms_per_10k_req`, (r.cpuMs / r.requests) * 10_000, 'ms');
    }

    const ref = of('haproxy');
    const cpuPerReq = (r: Rounds): number => r.cpuMs / r.requests;
    // the floor of a Node proxy: CPU per request of each Node forwarder against haproxy's, same rounds
    for (const name of ['node_pipe', 'node_push', 'node_handle']) figure(`${name}_cpu_per_req_vs_haproxy`, cpuPerReq(of(name)) / cpuPerReq(ref), 'x');
    for (const name of ['proxy', 'proxy_before'].filter((n) => rounds.has(n))) {
      const mine = of(name);
      const cpu = mine.cpuMsPerRound.map((c, i) => c / Math.max(10, ref.cpuMsPerRound[i] as number));
      const tput = mine.bytesPerS.map((b, i) => b / (ref.bytesPerS[i] as number));
      const rps = mine.load.map((l, i) => l.rps / (ref.load[i] as RedisBenchResult).rps);
      const p99 = addedP99(mine).map((x, i) => x / Math.max(1, addedP99(ref)[i] as number));
      console.log(`NOTE ${name} vs haproxy per round: CPU per request ${spread(cpu)}; iperf3 throughput ${spread(tput)}; PING rps ${spread(rps)}; added p99 ${spread(p99)}`);
      // the same figures from the even and from the odd rounds alone: how far one run's figure is from another's
      const half = (odd: number): string => {
        const pick = <T>(xs: T[]): T[] => xs.filter((_, i) => i % 2 === odd);
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        const c = sum(pick(mine.cpuMsPerRound)) / sum(pick(ref.cpuMsPerRound));
        const a = median(pick(addedP99(mine))) / Math.max(1, median(pick(addedP99(ref))));
        return `CPU ${c.toFixed(3)}x, throughput ${(sum(pick(mine.bytesPerS)) / sum(pick(ref.bytesPerS))).toFixed(3)}x, added p99 ${a.toFixed(3)}x`;
      };
      console.log(`NOTE ${name} vs haproxy, split half: even rounds ${half(0)}; odd rounds ${half(1)}`);
      const prefix = name === 'proxy' ? 'proxy' : name;
      figure(`${prefix}_cpu_per_req_vs_haproxy`, cpuPerReq(mine) / cpuPerReq(ref), 'x');
      // bytes moved in all rounds over haproxy's in the same rounds (the streams last equally long)
      const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      figure(`${prefix}_throughput_vs_haproxy`, total(mine.bytesPerS) / total(ref.bytesPerS), 'x');
      figure(`${prefix}_rps_vs_haproxy`, median(rps), 'x');
      // the ratio of the two medians: a per-round ratio divides by haproxy's added p99 of one round,
      // which on a loaded host is near zero or negative often enough to swing the median (1.3x vs 3.3x in two runs)
      figure(`${prefix}_added_p99_vs_haproxy`, median(addedP99(mine)) / Math.max(1, median(addedP99(ref))), 'x');
    }
    console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} at the end`);
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}
