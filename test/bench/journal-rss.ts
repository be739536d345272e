/**
 * `npm run bench -- journal-rss`: the runner's memory over a long drill, through the real CLI.
 *
 * A one-hour run is too long for a bench, so the hour is shortened and extrapolated: a real
 * `firedrill run` with 20 HTTP probes (a loopback server in this process) checking every 50 ms,
 * five times the 250 ms of the goal, so the run records samples five times as fast; a process
 * pause on a `sleep` the bench started is the fault. The bench reads the runner's VmRSS and VmHWM
 * from /proc every 250 ms and, afterwards, how many samples the journal holds up to each moment.
 *
 * - during the run: RSS against samples recorded; the slope (MiB per 10 000 samples, fitted over
 *   the second half of the probing) extrapolated to 288 000 samples (20 probes x 4 Hz x 1 h);
 * - at the end: the verdict and the reports read every sample back (journal/sample-stream.ts), so
 *   the process peaks there. That end is not extrapolated: it is measured on a real hour
 *   (test/bench/_hour-end.ts: a sample stream of 283 000 samples written as the runner writes it,
 *   read back, judged and reported by the built code in a child process). The end of an hour
 *   peaks at the CLI's RSS just before its own end plus what the end of the hour added in the child.
 * `runner_rss_mib_1h` is the larger of the two (goal <= 80 MiB).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startCli, tempDir } from '../support/cli.js';
import { figure } from './_figure.js';
import { measureHourEnd } from './_hour-end.js';

const PROBES = 20;
const INTERVAL_MS = Number(process.env.FD_BENCH_RSS_INTERVAL_MS ?? 50);
const HOUR_SAMPLES = 20 * 4 * 3600;
// FD_BENCH_QUICK: a 30 s run for trying the bench out; its in-run slope is garbage V8 has not
// collected yet, not growth, and extrapolates to several hundred MiB. `all` runs the full length.
const QUICK = Boolean(process.env.FD_BENCH_QUICK);
const BASELINE_S = QUICK ? 10 : 30;
const FAULT_S = QUICK ? 10 : 40;
const RECOVERY_S = QUICK ? 10 : 40;

interface Point {
  atMs: number;
  rssMib: number;
  hwmMib: number;
}

function memoryOf(pid: number): { rssMib: number; hwmMib: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMib: kb('VmRSS') / 1024, hwmMib: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export default async function run(): Promise<void> {
  const tmp = tempDir('firedrill-bench-rss-');
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const probes = Array.from({ length: PROBES }, (_, i) => `  svc-${String(i + 1).padStart(2, '0')}:\n    http: { url: "http://127.0.0.1:${port}/health/${i}", timeout: 1s }\n    interval: ${INTERVAL_MS}ms`).join('\n');
    const drill = join(tmp.dir, 'drill.yaml');
    writeFileSync(
      drill,
      `apiVersion: firedrill/v1
name: bench-journal-rss
environments: [bench]
targets:
  victim:
    process: { pid: ${sleeper.pid} }
blastRadius: { target: victim, maxDuration: 10m }
faults:
  - { type: process-pause, target: victim, duration: ${FAULT_S}s }
probes:
${probes}
phases: { preflight: 1s, baseline: ${BASELINE_S}s, recovery: ${RECOVERY_S}s }
expect:
  fault:
    - { probe: svc-01, successRate: ">= 99%" }
    - { probe: svc-01, latencyP99: "< 500ms" }
`,
    );
    const reports = join(tmp.dir, 'reports');
    const started = Date.now();
    const child = startCli(['run', drill, '--env', 'bench', '-y', '--no-progress', '--report-dir', reports, '--log-format', 'json'], {
      env: { FIREDRILL_STATE_DIR: join(tmp.dir, 'state') },
      timeoutMs: (BASELINE_S + FAULT_S + RECOVERY_S + 120) * 1000,
    });
    const points: Point[] = [];
    const pid = child.pid as number;
    const poll = setInterval(() => {
      const m = memoryOf(pid);
      if (m) points.push({ atMs: Date.now(), ...m });
    }, 250);
    const result = await child;
    clearInterval(poll);
    if (result.exitCode !== 0) throw new Error(`the drill ended with exit ${result.exitCode}:\n${result.stderr.slice(-2000)}`);
    const drillDir = join(reports, 'bench-journal-rss');
    const runDir = readdirSync(drillDir).filter((d) => d !== 'latest').sort().pop() as string;
    const journal = JSON.parse(readFileSync(join(drillDir, runDir, 'journal.json'), 'utf8')) as { startedAt: string; samples: { columns: { dt: number[] }[] }; phases: { name: string; startT: number; endT?: number }[] };
    const t0 = Date.parse(journal.startedAt);
    // every sample's start (run time, ms), sorted
    const times = journal.samples.columns
      .flatMap((c) => {
        let tenths = 0;
        return c.dt.map((d) => (tenths += d) / 10);
      })
      .sort((a, b) => a - b);
    const countUpTo = (runMs: number) => {
      let lo = 0;
      let hi = times.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((times[mid] as number) <= runMs) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const recovery = journal.phases.find((p) => p.name === 'recovery');
    // while the probes run: up to a second before the last phase ends (then the run reads its samples back)
    const probingEnd = t0 + (recovery?.endT ?? times[times.length - 1] ?? 0) - 1000;
    const inRun = points.filter((p) => p.atMs >= t0 && p.atMs <= probingEnd).map((p) => ({ ...p, samples: countUpTo(p.atMs - t0) }));
    const total = times.length;
    const secondHalf = inRun.filter((p) => p.samples >= total / 2);
    const perSample = slope(
      secondHalf.map((p) => p.samples),
      secondHalf.map((p) => p.rssMib),
    );
    const lastIn = inRun[inRun.length - 1];
    const maxIn = inRun.reduce((m, p) => Math.max(m, p.rssMib), 0);
    const peak = points.reduce((m, p) => Math.max(m, p.hwmMib), 0);
    const duringRun1h = Math.max(maxIn, (lastIn?.rssMib ?? 0) + Math.max(0, perSample) * (HOUR_SAMPLES - (lastIn?.samples ?? 0)));
    const end = await measureHourEnd(tmp.dir);
    const endPeak1h = (lastIn?.rssMib ?? 0) + (end.peakMib - end.beforeMib);
    const show = inRun.filter((_, i) => i % Math.max(1, Math.floor(inRun.length / 8)) === 0 || i === inRun.length - 1);
    console.log(`NOTE ${PROBES} probes every ${INTERVAL_MS} ms, ${total} samples in ${((probingEnd - t0) / 1000).toFixed(0)} s of probing (the goal's hour: ${HOUR_SAMPLES}); whole CLI run ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`NOTE runner RSS while probing (s: samples -> MiB): ${show.map((p) => `${((p.atMs - t0) / 1000).toFixed(0)}s: ${p.samples} -> ${p.rssMib.toFixed(1)}`).join(', ')}`);
    console.log(`NOTE RSS slope over the second half of probing: ${(perSample * 10_000).toFixed(2)} MiB per 10 000 samples (live heap does not grow with samples: the growth is garbage V8 has not collected yet); max while probing ${maxIn.toFixed(1)} MiB; extrapolated to ${HOUR_SAMPLES} samples: ${duringRun1h.toFixed(1)} MiB`);
    console.log(`NOTE this run's peak RSS (VmHWM) ${peak.toFixed(1)} MiB at its end (${total} samples read back, verdict, reports)`);
    console.log(
      `NOTE the end of a real hour (child process, built code, ${end.samples} samples, stream file ${(end.streamBytes / 1e6).toFixed(1)} MB): RSS ${end.beforeMib.toFixed(1)} -> peak ${end.peakMib.toFixed(1)} MiB (+${(end.peakMib - end.beforeMib).toFixed(1)}); ` +
        `read back ${end.readMs.toFixed(0)} ms, verdict ${end.judgeMs.toFixed(0)} ms, journal and reports ${end.writeMs.toFixed(0)} ms; on this runner's ${(lastIn?.rssMib ?? 0).toFixed(1)} MiB: ${endPeak1h.toFixed(1)} MiB`,
    );
    figure('runner_rss_mib_during_run_1h', duringRun1h, 'MiB');
    figure('runner_rss_peak_mib_end_1h', endPeak1h, 'MiB');
    // the larger of the two, and never below what this (shorter) run itself peaked at
    figure('runner_rss_mib_1h', Math.max(duringRun1h, endPeak1h, peak), 'MiB');
  } finally {
    sleeper.kill('SIGKILL');
    await new Promise<void>((r) => server.close(() => r()));
    tmp.cleanup();
  }
}
