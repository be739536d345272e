/**
 * Kill switch under load, through the real CLI: a drill pauses a process and runs a `cpu-stress`
 * fault with one worker per core at 100 %, so every core is saturated. Then either a command
 * probe starts failing (the bench creates the file the probe checks for) or the runner gets
 * SIGTERM / SIGINT. The figure is the journal's `killSwitch.reactionMs`: from the trip to the last
 * fault reverted, where "reverted" for the stress means every stress-ng process has exited. Beside
 * it, on the bench's own clock, end to end: from creating the file (so the probe interval and the
 * probe's fork count) or sending the signal, to the last fault's revertedT; and the floor: the same
 * stress command stopped by a bare SIGKILL from this process, no firedrill code, one per run. After
 * each run the bench checks by itself that the target runs again and no stress process is left.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { findStressTools, stressCommand } from '../../src/injectors/resource/stress-command.js';
import { startCli, tempDir, watchStderr } from '../support/cli.js';
import { hasCommand } from '../support/components.js';
import { figure, percentile } from './_figure.js';
import { more, noteCut } from './_budget.js';

// FD_BENCH_QUICK=1: a short smoke run; FD_BENCH_VERBOSE=1: per-run revert times, and each run's
// revert timeline (the runner's FIREDRILL_REVERT_TIMELINE, src/observability/revert-timeline.ts)
const ROUNDS = process.env.FD_BENCH_QUICK ? { probe: 4, SIGTERM: 2, SIGINT: 2 } : { probe: 40, SIGTERM: 12, SIGINT: 12 };
type Trigger = keyof typeof ROUNDS;

const drillText = (pid: number, trigger: string, cores: number) => `
apiVersion: firedrill/v1
name: bench-kill-switch-stress
environments: [bench]
targets:
  victim:
    process: { pid: ${pid} }
blastRadius: { target: victim, maxDuration: 2m }
faults:
  - { type: cpu-stress, target: victim, workers: ${cores}, load: 100%, duration: 60s }
  - { type: process-pause, target: victim, duration: 60s }
probes:
  trigger:
    command: { run: "test ! -e ${trigger}" }
    interval: 25ms
    timeout: 2s
phases: { preflight: 3s, baseline: 200ms, recovery: 0s }
killSwitch:
  - { probe: trigger, consecutiveFailures: 1 }
`;

function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return [String(pid), ...text.slice(text.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) processes in process group `pgid`. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((e) => procStat(Number(e)))
    .filter((s): s is string[] => s !== undefined && s[1] !== 'Z' && Number(s[3]) === pgid)
    .map((s) => Number(s[0]));
}

/** The stress worker the runner started: its child whose command is stress-ng, the built-in worker or unshare (stress-ng in a PID namespace). */
function stressWorkerOf(runnerPid: number): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = procStat(Number(e));
    if (s && Number(s[2]) === runnerPid && Number(s[3]) === Number(e)) {
      const comm = readFileSync(`/proc/${e}/comm`, 'latin1').trim();
      if (comm.startsWith('stress-ng') || comm.startsWith('firedrill-stres') || comm === 'unshare') return Number(e);
    }
  }
  return undefined;
}

interface RunResult {
  /** the journal's killSwitch.reactionMs: the trip (the runner saw the failing sample, or the signal) to the last fault reverted */
  reactionMs: number;
  /** the bench's own clock: the file created (probe) or the signal sent, to the last fault's revertedT in the journal */
  endToEndMs: number;
  leftovers: number;
}

async function oneRun(trigger: Trigger, victim: number, dir: string, cores: number, cli?: string): Promise<RunResult> {
  const flag = join(dir, 'trip');
  const drill = join(dir, 'drill.yaml');
  writeFileSync(drill, drillText(victim, flag, cores));
  const reports = join(dir, 'reports');
  const child = startCli(['run', drill, '--env', 'bench', '-y', '--no-progress', '--report-dir', reports, '--log-format', 'json'], {
    env: { FIREDRILL_STATE_DIR: join(dir, 'state'), ...(process.env.FD_BENCH_VERBOSE ? { FIREDRILL_REVERT_TIMELINE: '1' } : {}) },
    timeoutMs: 60_000,
    cli,
  });
  const watch = watchStderr(child);
  let worker: number | undefined;
  let triggeredAt = 0;
  try {
    await watch.until(/injected (SIGSTOP|.*cpu-stress|.*CPU worker)/, { count: 2, timeoutMs: 30_000 });
    worker = child.pid === undefined ? undefined : stressWorkerOf(child.pid);
    // let the stress saturate every core before the trip
    await new Promise((r) => setTimeout(r, 400));
    triggeredAt = Date.now();
    if (trigger === 'probe') writeFileSync(flag, '');
    else child.kill(trigger);
    await child;
  } catch (e) {
    child.kill('SIGINT');
    await child.catch(() => undefined);
    throw new Error(`${trigger} run failed: ${String(e)}\n${watch.text().slice(-2000)}`);
  } finally {
    execFileSync('rm', ['-f', flag]);
  }
  const drillDir = join(reports, 'bench-kill-switch-stress');
  const run = readdirSync(drillDir).filter((d) => d !== 'latest').sort().pop() as string;
  const journal = JSON.parse(readFileSync(join(drillDir, run, 'journal.json'), 'utf8')) as {
    startedAt: string;
    killSwitch: { tripped: boolean; reactionMs?: number; kind?: string };
    faults: { status: string; revertStartT?: number; revertedT?: number }[];
    events: { type: string; kind?: string; t: number; data?: { durationMs?: number } }[];
  };
  if (process.env.FD_BENCH_VERBOSE) {
    // per fault: revert start..end after the trip, then each undo's own duration
    const trip = journal.events.find((e) => e.type === 'kill-switch' || e.type === 'abort');
    const timeline = watch.text().match(/revert timeline .*/)?.[0];
    if (timeline) console.log(timeline);
    console.log(trigger, journal.killSwitch.reactionMs, journal.faults.map((f) => `${(f.revertStartT ?? 0) - (trip?.t ?? 0)}..${(f.revertedT ?? 0) - (trip?.t ?? 0)}`).join(' '), journal.events.filter((e) => e.type === 'revert').map((e) => e.data?.durationMs?.toFixed(1)).join(' '));
  }
  execFileSync('rm', ['-rf', reports]);
  if (journal.killSwitch.reactionMs === undefined) throw new Error(`${trigger} run: no reactionMs (${JSON.stringify(journal.killSwitch)})`);
  const notReverted = journal.faults.filter((f) => f.status !== 'reverted').length;
  const leftovers = notReverted + (procStat(victim)?.[1] === 'T' ? 1 : 0) + (worker === undefined ? 0 : groupMembers(worker).length);
  if (worker === undefined) throw new Error(`${trigger} run: the stress worker was never seen`);
  // run time 0 is startedAt (ms precision); both clocks are this machine's wall clock
  const lastReverted = Date.parse(journal.startedAt) + Math.max(...journal.faults.map((f) => f.revertedT ?? Number.NaN));
  return { reactionMs: journal.killSwitch.reactionMs, endToEndMs: Math.round((lastReverted - triggeredAt) * 10) / 10, leftovers };
}

/** REFUSED_RETRIES more tries when a run refused before injecting (its probe had no result in preflight on a saturated host): nothing to measure, nothing left. */
const REFUSED_RETRIES = 2;
let refusedRuns = 0;

async function oneRunRetried(trigger: Trigger, victim: number, dir: string, cores: number, cli?: string): Promise<RunResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await oneRun(trigger, victim, dir, cores, cli);
    } catch (e) {
      if (attempt >= REFUSED_RETRIES || !/REFUSED \(exit 4\)[^\n]*nothing was injected/.test(String(e))) throw e;
      refusedRuns++;
      execFileSync('rm', ['-rf', join(dir, 'reports')]);
    }
  }
}

/**
 * The floor under the same load, side by side: the injector's own stress command (same PID
 * namespace, same priority) started by this process, its first process SIGKILLed, and the time to
 * unshare's exit event. No firedrill code runs: what the kernel and the scheduler take to end it.
 */
async function bareStopMs(cores: number): Promise<number> {
  const command = stressCommand({ mode: 'cpu', workers: cores, load: 1 }, { tools: await findStressTools(), durationMs: 30_000, parentPid: process.pid });
  const child = spawn(command.file, command.args, { detached: true, stdio: 'ignore' });
  const exited = once(child, 'exit');
  try {
    await once(child, 'spawn');
    await delay(400);
    // the namespace's first process (isolation 'pid-namespace'), else the group
    const init = command.isolation === 'pid-namespace' ? Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'latin1').trim().split(' ')[0]) : undefined;
    const started = performance.now();
    if (init) process.kill(init, 'SIGKILL');
    else process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    return Math.round((performance.now() - started) * 10) / 10;
  } finally {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
}

// FD_BENCH_BASELINE_CLI=<other build>/dist/cli/main.js: every run is repeated with that build right
// after, and its figures are printed with the prefix `baseline_` (a before/after in one run)
const BASELINE_CLI = process.env.FD_BENCH_BASELINE_CLI;
// FD_BENCH_CLI: the build under test when it is not this checkout's dist/
const CLI = process.env.FD_BENCH_CLI;

export default async function run(): Promise<void> {
  if (!hasCommand('stress-ng')) console.log('note: stress-ng is not installed; the built-in node worker makes the load');
  const cores = availableParallelism();
  const { dir, cleanup } = tempDir('firedrill-bench-ks-');
  const victim = Number(execFileSync('sh', ['-c', 'sleep 3600 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
  const reactions: Record<Trigger, number[]> = { probe: [], SIGTERM: [], SIGINT: [] };
  const endToEnd: Record<Trigger, number[]> = { probe: [], SIGTERM: [], SIGINT: [] };
  const floor: number[] = [];
  const baseline: Record<Trigger, number[]> = { probe: [], SIGTERM: [], SIGINT: [] };
  let leftovers = 0;
  try {
    // interleaved: probe trips and signals alternate, so machine noise hits them alike
    const order: Trigger[] = [];
    for (let i = 0; order.length < ROUNDS.probe + ROUNDS.SIGTERM + ROUNDS.SIGINT; i++) {
      for (const t of ['probe', 'SIGTERM', 'probe', 'SIGINT'] as Trigger[]) {
        if (order.filter((o) => o === t).length < ROUNDS[t]) order.push(t);
      }
    }
    for (const trigger of order) {
      // under `all`: stop when the next run would not fit the suite's budget (4 trips, 2 of each signal at least)
      if (!more(reactions.probe.length + reactions.SIGTERM.length + reactions.SIGINT.length, 8)) break;
      const r = await oneRunRetried(trigger, victim, dir, cores, CLI);
      reactions[trigger].push(r.reactionMs);
      endToEnd[trigger].push(r.endToEndMs);
      if (hasCommand('stress-ng')) floor.push(await bareStopMs(cores));
      leftovers += r.leftovers;
      if (BASELINE_CLI) {
        const b = await oneRunRetried(trigger, victim, dir, cores, BASELINE_CLI);
        baseline[trigger].push(b.reactionMs);
        leftovers += b.leftovers;
      }
    }
  } finally {
    try {
      process.kill(victim, 'SIGCONT');
      process.kill(victim, 'SIGKILL');
    } catch {
      // already gone
    }
    cleanup();
  }
  noteCut('kill-switch-stress', reactions.probe.length + reactions.SIGTERM.length + reactions.SIGINT.length, ROUNDS.probe + ROUNDS.SIGTERM + ROUNDS.SIGINT);
  console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  printFigures(reactions, cores, '');
  for (const [name, values] of Object.entries(endToEnd)) console.log(`${name} end to end (file created / signal sent -> last fault reverted): ${spread(values)}`);
  figure('kill_switch_under_stress_end_to_end_p99_ms', percentile(endToEnd.probe, 99), 'ms');
  figure('kill_switch_under_stress_sigterm_end_to_end_p99_ms', percentile(endToEnd.SIGTERM, 99), 'ms');
  figure('kill_switch_under_stress_sigint_end_to_end_p99_ms', percentile(endToEnd.SIGINT, 99), 'ms');
  if (floor.length > 0) {
    console.log(`floor (bare SIGKILL of the same stress -> exit event, no firedrill): ${spread(floor)}`);
    figure('kill_switch_under_stress_floor_p99_ms', percentile(floor, 99), 'ms');
  }
  if (BASELINE_CLI) {
    console.log(`baseline: ${BASELINE_CLI}`);
    printFigures(baseline, cores, 'baseline_');
  }
  figure('kill_switch_under_stress_leftovers', leftovers, 'faults/processes');
  if (refusedRuns > 0) console.log(`note: ${refusedRuns} run(s) refused before injecting (no probe result in preflight) and were run again`);
}

function printFigures(reactions: Record<Trigger, number[]>, cores: number, prefix: string): void {
  for (const [name, values] of Object.entries(reactions)) console.log(`${prefix}${name}: reverted after ${spread(values)}`);
  if (!prefix) figure('kill_switch_under_stress_cores', cores, 'cores');
  figure(`${prefix}kill_switch_under_stress_p50_ms`, percentile(reactions.probe, 50), 'ms');
  figure(`${prefix}kill_switch_under_stress_p99_ms`, percentile(reactions.probe, 99), 'ms');
  figure(`${prefix}kill_switch_under_stress_sigterm_p99_ms`, percentile(reactions.SIGTERM, 99), 'ms');
  figure(`${prefix}kill_switch_under_stress_sigint_p99_ms`, percentile(reactions.SIGINT, 99), 'ms');
}

/** `n 40: min / p50 / p90 / p99 / max ms`; with fewer than 100 runs the nearest-rank p99 is the max, said so. */
function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const p99 = values.length < 100 ? 'p99 (= max, n < 100)' : 'p99';
  return `n ${values.length}: min ${sorted[0]} / p50 ${percentile(values, 50)} / p90 ${percentile(values, 90)} / ${p99} ${percentile(values, 99)} / max ${sorted[sorted.length - 1]} ms`;
}
