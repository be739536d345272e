/**
 * How exact a 100 ms latency fault is, firedrill's proxy side by side with Toxiproxy, in one run.
 * Both proxies sit in front of one real redis-server; both add 100 ms to the responses
 * (downstream). 200 connections each send PING and wait for PONG, paced (one request per
 * connection every 150 ms, connections staggered), in 10 short rounds that alternate the two proxies (ABBA).
 * The error of a sample is its raw round-trip time minus 100 ms: no baseline is subtracted (the
 * proxy's own pass-through time counts against it), and the percentiles are taken over every
 * paced sample of every round. firedrill's proxy runs as the drill runs it: dist/.../proxy-host-main.js
 * in its own process (no Node flags), faults sent over IPC. A no-fault round trip through each is
 * printed as a note. Each connection is new in its round; its first PING (all 200 at once, before
 * the paced ones) also waits for the proxy to dial redis, so it is printed apart, as a note: the
 * figures are the fault's error on open connections, as a drill meets an application's pool.
 *
 * The client is _rtt-client.py (one process, epoll): a reply is timed by the kernel's receive
 * timestamp (SO_TIMESTAMPNS), a request just before its send(). A client that timestamps in its
 * read callback charges its own queueing behind the other 199 connections' replies to whichever
 * proxy it measures; how much that would have added is printed as a note (the user-space lag).
 * With FD_PROXY_DUE_TRACE=<prefix> each firedrill proxy host traces its due-time queue
 * (engine/due-trace.ts) and the summary is printed as a note: how late items ran by what woke the
 * loop, the wake-up thread's lateness and its message's way to the loop, GC pauses, and each
 * thread's time waiting for a core.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hasCommand } from '../support/components.js';
import { figure, percentile } from './_figure.js';
import { more, noteCut } from './_budget.js';
import { cpuMs, startFiredrillProxy, startRedis, startToxiproxy, stopAll, type BenchProxy } from './_proxy-fixtures.js';

const CONNS = 200;
const REQUESTS = 4; // per connection and round: short rounds interleave finely
const PERIOD_MS = 150;
const ROUNDS = 10;
const LATENCY_MS = 100;
const LOAD_CAP_S = 20;
const CLIENT = join(dirname(fileURLToPath(import.meta.url)), '_rtt-client.py');
// Debian's interpreter when there is one: a version manager's shim on PATH can take over a second to start
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface Samples {
  /** round trips, kernel-timestamped reply minus request send, ms */
  rtt: number[];
  /** how long after the kernel timestamp the client read each reply, ms */
  userLag: number[];
  /** each connection's first round trip (includes the proxy's dial to redis), ms */
  first: number[];
  /** replies the kernel gave no receive timestamp for (timed when read: never shorter) */
  unstamped: number;
}

/** Paced PING/PONG over CONNS connections (bounded by LOAD_CAP_S): every round trip in ms. */
async function pings(port: number, requests: number): Promise<Samples> {
  const { stdout } = await promisify(execFile)(PYTHON, [CLIENT, String(port), String(CONNS), String(requests), String(PERIOD_MS), String(LOAD_CAP_S)], {
    timeout: (LOAD_CAP_S + 15) * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(stdout) as Samples;
  if (out.rtt.length < CONNS * requests) throw new Error(`rtt client: ${out.rtt.length} of ${CONNS * requests} round trips`);
  return out;
}

function describe(name: string, xs: number[]): string {
  return `${name}: ${xs.length} samples, p50 ${percentile(xs, 50).toFixed(2)} p99 ${percentile(xs, 99).toFixed(2)} max ${Math.max(...xs).toFixed(2)} ms`;
}

export default async function run(): Promise<void> {
  const missing = ['redis-server', 'python3'].filter((c) => !hasCommand(c));
  if (missing.length > 0) {
    console.log(`NOTE ${missing.join(', ')} not installed (apt-get install -y redis-server python3); latency-accuracy skipped`);
    return;
  }
  console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`);
  const traced: BenchProxy[] = [];
  try {
    const redis = await startRedis();
    const variants: BenchProxy[] = [await startFiredrillProxy('firedrill', redis)];
    // an A/B of an engine change in one run, as the proxy bench does
    const before = process.env.FD_BENCH_PROXY_BEFORE_DIST;
    if (before) variants.push(await startFiredrillProxy('firedrill_before', redis, before));
    traced.push(...variants);
    const toxiproxy = await startToxiproxy(redis);
    if (toxiproxy) variants.push(toxiproxy);
    else console.log('NOTE Toxiproxy not found at ../shared/anchors/toxiproxy; its figures are skipped');

    const plain = new Map<string, number[]>();
    const faulted = new Map<string, number[]>();
    const lag = new Map<string, number[]>();
    const first = new Map<string, number[]>();
    const unstamped = new Map<string, number>();
    const cpu = new Map<string, number>();
    for (const v of variants) {
      // warm-up (JIT, connection setup, the queue's thread), then a no-fault reference
      await v.setLatency?.(LATENCY_MS);
      await pings(v.port, 2);
      await v.setLatency?.(undefined);
      plain.set(v.name, (await pings(v.port, 2)).rtt);
      faulted.set(v.name, []);
      lag.set(v.name, []);
      first.set(v.name, []);
      cpu.set(v.name, 0);
    }
    const t0 = performance.now();
    let round = 0;
    // at least two ABBA pairs; under `npm run bench -- all` as many of the ROUNDS as the suite's budget fits
    for (; round < ROUNDS && more(round, 4, t0); round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await v.setLatency?.(LATENCY_MS);
        const cpu0 = await cpuMs(v.pid);
        const got = await pings(v.port, REQUESTS);
        faulted.get(v.name)?.push(...got.rtt);
        lag.get(v.name)?.push(...got.userLag);
        first.get(v.name)?.push(...got.first);
        unstamped.set(v.name, (unstamped.get(v.name) ?? 0) + got.unstamped);
        cpu.set(v.name, (cpu.get(v.name) ?? 0) + (await cpuMs(v.pid)) - cpu0);
        await v.setLatency?.(undefined);
      }
    }
    noteCut('latency-accuracy rounds', round, ROUNDS);
    for (const v of variants) {
      console.log(`NOTE ${describe(`${v.name} without fault`, plain.get(v.name) ?? [])}`);
      const rtts = faulted.get(v.name) ?? [];
      const errors = rtts.map((rtt) => rtt - LATENCY_MS);
      console.log(`NOTE ${describe(`${v.name} ${LATENCY_MS} ms fault, RTT - ${LATENCY_MS} ms`, errors)}; min ${Math.min(...errors).toFixed(2)} ms`);
      const userLag = lag.get(v.name) ?? [];
      const userErrors = errors.map((e, i) => e + (userLag[i] ?? 0));
      console.log(`NOTE ${describe(`${v.name} client's user-space lag after the kernel timestamp`, userLag)}`);
      console.log(`NOTE ${describe(`${v.name} error as a user-space timestamp would have had it`, userErrors)}`);
      const firstErrors = (first.get(v.name) ?? []).map((rtt) => rtt - LATENCY_MS);
      console.log(`NOTE ${describe(`${v.name} first PING of each connection (all ${CONNS} at once, with the dial to redis), RTT - ${LATENCY_MS} ms`, firstErrors)}`);
      const late = unstamped.get(v.name) ?? 0;
      if (late > 0) console.log(`NOTE ${v.name}: ${late} replies without a kernel receive timestamp, timed when the client read them`);
      const prefix = v.name === 'firedrill' ? '' : `${v.name}_`;
      figure(`${prefix}latency_fault_p50_error_ms`, percentile(errors, 50), 'ms');
      figure(`${prefix}latency_fault_p99_error_ms`, percentile(errors, 99), 'ms');
      figure(`${prefix}latency_fault_cpu_ms_per_1k_req`, ((cpu.get(v.name) ?? 0) / Math.max(1, rtts.length)) * 1000, 'ms');
    }
    console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} at the end`);
  } finally {
    await stopAll();
  }
  // FD_PROXY_DUE_TRACE: where each firedrill proxy's time went, as its host wrote it at exit
  const trace = process.env.FD_PROXY_DUE_TRACE;
  for (const v of trace ? traced : []) {
    const file = `${trace}.${v.pid}.json`;
    if (existsSync(file)) console.log(`NOTE ${v.name} due-queue trace (ms; all phases, warm-up and first PINGs included): ${readFileSync(file, 'utf8').replace(/\s+/g, ' ')}`);
  }
}
