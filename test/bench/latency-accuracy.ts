/**
 * How exact a 100 ms latency fault is, firedrill's proxy side by side with Toxiproxy, in one run.
 * Both proxies sit in front of one real redis-server; both add 100 ms to the responses
 * (downstream). 200 connections each send PING and wait for PONG, paced (one request per
 * connection every 150 ms, connections staggered), in 10 short rounds that alternate the two proxies (ABBA).
 * The error of a sample is its raw round-trip time minus 100 ms: no baseline is subtracted (the
 * proxy's own pass-through time counts against it), and the percentiles are taken over every
 * sample of every round. firedrill's proxy runs as the drill runs it: dist/.../proxy-host-main.js
 * in its own process, faults sent over IPC. A no-fault round trip through each is printed as a note.
 */
import { connect, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { hasCommand } from '../support/components.js';
import { figure, percentile } from './_figure.js';
import { HOST, cpuMs, startFiredrillProxy, startRedis, startToxiproxy, stopAll, type BenchProxy } from './_proxy-fixtures.js';

const CONNS = 200;
const REQUESTS = 4; // per connection and round: short rounds interleave finely
const PERIOD_MS = 150;
const ROUNDS = 10;
const LATENCY_MS = 100;
const LOAD_CAP_MS = 20_000;
const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const PONG_BYTES = '+PONG\r\n'.length;

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
    const variants: BenchProxy[] = [await startFiredrillProxy('firedrill', redis)];
    const toxiproxy = await startToxiproxy(redis);
    if (toxiproxy) variants.push(toxiproxy);
    else console.log('NOTE Toxiproxy not found at ../shared/anchors/toxiproxy; its figures are skipped');

    const plain = new Map<string, number[]>();
    const faulted = new Map<string, number[]>();
    const cpu = new Map<string, number>();
    for (const v of variants) {
      // warm-up (JIT, connection setup, the queue's thread), then a no-fault reference
      await v.setLatency?.(LATENCY_MS);
      await pings(v.port, 2);
      await v.setLatency?.(undefined);
      plain.set(v.name, await pings(v.port, 2));
      faulted.set(v.name, []);
      cpu.set(v.name, 0);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await v.setLatency?.(LATENCY_MS);
        const cpu0 = await cpuMs(v.pid);
        faulted.get(v.name)?.push(...(await pings(v.port, REQUESTS)));
        cpu.set(v.name, (cpu.get(v.name) ?? 0) + (await cpuMs(v.pid)) - cpu0);
        await v.setLatency?.(undefined);
      }
    }
    for (const v of variants) {
      console.log(`NOTE ${describe(`${v.name} without fault`, plain.get(v.name) ?? [])}`);
      const rtts = faulted.get(v.name) ?? [];
      const errors = rtts.map((rtt) => rtt - LATENCY_MS);
      console.log(`NOTE ${describe(`${v.name} ${LATENCY_MS} ms fault, RTT - ${LATENCY_MS} ms`, errors)}; min ${Math.min(...errors).toFixed(2)} ms`);
      const prefix = v.name === 'firedrill' ? '' : `${v.name}_`;
      figure(`${prefix}latency_fault_p50_error_ms`, percentile(errors, 50), 'ms');
      figure(`${prefix}latency_fault_p99_error_ms`, percentile(errors, 99), 'ms');
      figure(`${prefix}latency_fault_cpu_ms_per_1k_req`, ((cpu.get(v.name) ?? 0) / Math.max(1, rtts.length)) * 1000, 'ms');
    }
    console.log(`NOTE load average ${loadavg()[0]?.toFixed(2)} at the end`);
  } finally {
    await stopAll();
  }
}
