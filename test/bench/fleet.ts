/**
 * The fleet over SSH, against real sshd hosts (test/support/ssh-fleet.ts: 20 network + pid
 * namespaces on a bridge this bench makes, each running Debian's sshd and a redis-server to pause):
 * - fleet_revert_ratio_20_to_1: the runner's revert of a process pause on 20 hosts vs on 1 host
 *   (max revertedT - min revertStartT from the journal; runs alternate 1 and 20 hosts; medians).
 * - ssh_roundtrip_ratio_20_to_1 (the machine's floor, beside firedrill's figure, interleaved with
 *   its rounds): the same work with no firedrill code at all, one plain ssh2 connection per host
 *   with an already open `sh` on it, `kill -CONT <redis pid>; echo ok` (builtins) sent to 1 host vs
 *   to all 20 at once, time until every answer is in. What 20 sshd on this machine's cores cost.
 * - remote_lease_revert_ms: the built CLI pauses redis-server on one host with `lease: 1s`; the runner
 *   and its local dead-man switch are SIGKILLed together (the runner's machine is gone), and the
 *   host's own lease must revert: time from the kill to the process running again, minus the lease.
 * - ssh_kill_switch_reaction_p99_ms: the runner's kill switch on a hosts: target; the probe reads
 *   the host's process state (nsenter, the bench's own eyes), and the journal's reactionMs is the
 *   time from the sample that meets the condition to the remote fault reverted (SIGCONT delivered
 *   over SSH and the host showing the process running).
 * Everything is removed at the end, also on failure.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { validateDrillText, type LoadedDrill } from '../../src/drill/load.js';
import { Redactor } from '../../src/drill/secrets.js';
import type { Journal } from '../../src/journal/types.js';
import { silentLogger } from '../../src/observability/logger.js';
import { systemClock } from '../../src/clock/clock.js';
import { runDrill } from '../../src/runner/run-drill.js';
import { defaultCredentials } from '../../src/ssh/credentials.js';
import { SshConnection } from '../../src/ssh/connection.js';
import { SshExecutor } from '../../src/executors/ssh-executor.js';
import { readFileSync } from 'node:fs';
import { startCli, watchStderr } from '../support/cli.js';
import { SshFleet, type FleetHost } from '../support/ssh-fleet.js';
import { figure, percentile } from './_figure.js';
import type { Client, ClientChannel } from 'ssh2';
import { more, noteCut, suiteBudgetS } from './_budget.js';

const HOSTS = 20;
const RATIO_ROUNDS = Number(process.env.ROUNDS ?? 5);
const LEASE_RUNS = 5;
const TRIPS = 30;
/** Which parts to run (`ratio,trip,lease`, default all): the ratio alone when profiling the revert. */
const PARTS = new Set((process.env.FLEET_PARTS ?? 'ratio,cost,trip,lease').split(','));
const COST_REVERTS = 400;
/** Reference round trips (1 host, then 20) after each pair of firedrill runs. */
const REF_TRIPS_PER_ROUND = 5;

const median = (xs: number[]): number => percentile(xs, 50);

function drillText(list: string[], options: { faultDuration: string; killSwitch: boolean; lease?: string }): string {
  // the kill-switch runs read the host in-process every 10 ms; elsewhere the probe only has to exist,
  // and a spawned \`true\` every 10 ms on a loaded machine would trip the no-data rule instead
  const interval = options.killSwitch ? '10ms' : '250ms';
  return `
apiVersion: firedrill/v1
name: bench-fleet
environments: [bench]
targets:
  fleet:
    hosts:
      list: [${list.map((h) => JSON.stringify(h)).join(', ')}]
      process: { match: '/^redis-server /' }
      lease: ${options.lease ?? '5s'}
blastRadius: { target: fleet, hosts: { mode: all }, select: { mode: all }, maxTargets: ${list.length}, maxDuration: 2m }
faults:
  - { type: process-pause, target: fleet, duration: ${options.faultDuration} }
probes:
  state:
    command: { run: "true" }
    interval: ${interval}
    timeout: 1s
phases: { preflight: ${options.killSwitch ? '1s' : '600ms'}, baseline: 30ms, recovery: 0s }
${options.killSwitch ? 'killSwitch:\n  - { probe: state, consecutiveFailures: 1 }' : ''}
`;
}

async function loaded(text: string): Promise<LoadedDrill> {
  const result = await validateDrillText('bench-fleet.yaml', text);
  if (!result.drill) throw new Error(JSON.stringify(result.problems));
  return { file: 'bench-fleet.yaml', source: text, sha256: '', drill: result.drill, redactedDrill: result.drill, redactor: new Redactor(), vars: {}, ports: {}, warnings: [] };
}


/** One plain ssh2 connection with an open `sh` per host: the reference (no firedrill code). */
interface RefShell {
  client: Client;
  channel: ClientChannel;
  /** sends `line` and resolves once the answer `ok` line is back */
  trip(line: string): Promise<void>;
}

async function openRefShell(lab: SshFleet, h: FleetHost): Promise<RefShell> {
  const { Client } = await import('ssh2');
  const client = new Client();
  const expected = h.hostKey.split(' ')[1];
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      host: h.address,
      port: h.port,
      username: 'root',
      privateKey: readFileSync(lab.clientKey),
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => key.toString('base64') === expected,
    });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) => client.exec('exec sh', (err, ch) => (err ? reject(err) : resolve(ch))));
  let buffer = '';
  let waiting: (() => void) | undefined;
  channel.on('data', (d: Buffer) => {
    buffer += String(d);
    if (buffer.includes('ok\n')) {
      buffer = '';
      waiting?.();
    }
  });
  const trip = (line: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${h.name}: no answer from the reference shell`)), 10_000);
      waiting = () => {
        clearTimeout(timer);
        waiting = undefined;
        resolve();
      };
      channel.write(`${line}\n`);
    });
  // the pid once (pidof starts a process: setup only); every trip after is builtins (kill, echo)
  await trip('P=$(pidof redis-server); echo ok');
  return { client, channel, trip };
}

async function stateOf(lab: SshFleet, h: FleetHost): Promise<string> {
  return (await lab.processes(h, 'redis-server'))[0]?.state ?? 'gone';
}

export default async function run(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const lab = await SshFleet.create((c) => cleanups.push(c), { hosts: HOSTS, service: 'redis', prefix: 'b' });
    const credentials = defaultCredentials({ identityFiles: [lab.clientKey], knownHostsFiles: [lab.knownHosts] }, {});
    const runOnce = async (drill: LoadedDrill, i: number, probeRunner?: () => Promise<{ ok: boolean; latencyMs: number; error?: string }>): Promise<Journal> =>
      runDrill(drill, {
        runId: `bench-fleet-${process.pid}-${i}`, environment: 'bench', allowProduction: false, seed: i, stopFiles: [],
        operatorSignal: new AbortController().signal, baseDir: process.cwd(), nearMissShare: 0.1, clock: systemClock, logger: silentLogger(),
        fleet: { credentials, parallel: HOSTS },
        ...(probeRunner ? { probeRunner } : {}),
      });
    const revertMs = (j: Journal): number => {
      if (j.faults.some((f) => f.status !== 'reverted')) throw new Error(`a fault was not reverted: ${j.outcome.reason}`);
      return Math.max(...j.faults.map((f) => f.revertedT ?? NaN)) - Math.min(...j.faults.map((f) => f.revertStartT ?? NaN));
    };

    // 1. revert on 20 hosts vs 1, side by side
    const one = await loaded(drillText(lab.hostList().slice(0, 1), { faultDuration: '3s', killSwitch: false }));
    const all = await loaded(drillText(lab.hostList(), { faultDuration: '3s', killSwitch: false }));
    const ones: number[] = [];
    const twenties: number[] = [];
    // where a 20-host revert's time goes: how late the runner started the last host's undo after the
    // first (its own scheduling), and how long one host's undo took from start to confirmed
    const startSpreads: number[] = [];
    const perHost: number[] = [];
    // a run whose injection failed (seen under heavy machine load: a remote `kill` channel closing
    // without an exit status) reverted everything it did; it is counted and run again, never hidden
    let injectFailures = 0;
    const measured = async (drill: LoadedDrill, hosts: number, seed: number): Promise<number> => {
      for (let attempt = 0; attempt < 3; attempt++) {
        // the probe only has to exist here (what is measured is the revert): answered in-process, so a
        // spawn that the loaded machine delays cannot trip the no-data rule in the middle of a round
        const j = await runOnce(drill, seed * 10 + attempt, () => Promise.resolve({ ok: true, latencyMs: 0 }));
        if (j.faults.length === hosts && j.faults.every((f) => f.status === 'reverted')) {
          if (hosts > 1) {
            const starts = j.faults.map((f) => f.revertStartT ?? NaN);
            startSpreads.push(Math.max(...starts) - Math.min(...starts));
            perHost.push(...j.faults.map((f) => (f.revertedT ?? NaN) - (f.revertStartT ?? NaN)));
          }
          return revertMs(j);
        }
        if (j.faults.some((f) => f.status === 'revert-failed')) throw new Error(`a revert failed: ${j.outcome.reason}`);
        injectFailures++;
        console.error(`run with ${hosts} host(s) did not inject everywhere (${j.outcome.reason}); running it again`);
      }
      throw new Error(`${hosts} host(s): no clean run in 3 attempts`);
    };
    // under `all`, each part fits the suite's budget: the ratio rounds leave 45 %, the trips 20 %
    // the reference: the same round trips without firedrill, interleaved with its rounds
    const refs: RefShell[] = PARTS.has('ratio') ? await Promise.all(lab.hosts.map((h) => openRefShell(lab, h))) : [];
    cleanups.push(async () => {
      for (const r of refs) r.client.end();
    });
    const refOnes: number[] = [];
    const refTwenties: number[] = [];
    const reference = async (shells: RefShell[]): Promise<number> => {
      const start = performance.now();
      await Promise.all(shells.map((r) => r.trip('kill -CONT $P; echo ok')));
      return performance.now() - start;
    };
    const t0 = performance.now();
    for (let i = 0; i < (PARTS.has('ratio') ? RATIO_ROUNDS : 0) && more(i, 3, t0, suiteBudgetS * 450); i++) {
      ones.push(await measured(one, 1, 2 * i));
      twenties.push(await measured(all, HOSTS, 2 * i + 1));
      // a few reference trips per round (they take milliseconds), right beside firedrill's
      for (let k = 0; k < REF_TRIPS_PER_ROUND; k++) {
        refOnes.push(await reference(refs.slice(0, 1)));
        refTwenties.push(await reference(refs));
      }
    }
    if (PARTS.has('ratio')) noteCut('fleet ratio rounds', ones.length, RATIO_ROUNDS);
    if (PARTS.has('ratio')) {
    figure('fleet_bench_inject_failed_runs', injectFailures, 'runs');
    figure('fleet_revert_1_host_ms', median(ones), 'ms');
    figure('fleet_revert_20_hosts_ms', median(twenties), 'ms');
    figure('fleet_revert_ratio_20_to_1', median(twenties) / median(ones), 'x');
    figure('fleet_revert_20_hosts_start_spread_ms', median(startSpreads), 'ms');
    figure('fleet_revert_20_hosts_per_host_p50_ms', percentile(perHost, 50), 'ms');
    figure('fleet_revert_20_hosts_per_host_max_ms', percentile(perHost, 100), 'ms');
    figure('ssh_roundtrip_1_host_ms', median(refOnes), 'ms');
    figure('ssh_roundtrip_20_hosts_ms', median(refTwenties), 'ms');
    figure('ssh_roundtrip_ratio_20_to_1', median(refTwenties) / median(refOnes), 'x');
    }

    // 1b. what one revert costs in CPU: the runner's (ssh2: encrypt, decrypt, events) and the host's
    // (its sshd session and the control shell), measured over many SIGCONTs to one live process.
    // 20 hosts need 20 times this CPU within the same window, which is what bounds the ratio on a
    // machine whose 2 cores the runner shares with all 20 hosts (and, here, with other work).
    if (PARTS.has('cost')) {
      const h0 = lab.hosts[0] as FleetHost;
      const conn = await SshConnection.open({ name: h0.name, address: { user: 'root', host: h0.address, port: h0.port } }, { credentials });
      try {
        const redis = (await new SshExecutor(conn).listProcesses()).find((p) => p.cmdline.startsWith('redis-server'));
        if (!redis) throw new Error('no redis-server on the host');
        await conn.quickSignal('CONT', redis.pid, redis.startTime, { timeoutMs: 10_000 });
        const hostTicks = async (): Promise<number> => {
          const pids = String((await execa('ip', ['netns', 'pids', h0.ns], { reject: false })).stdout).split('\n').filter((p) => p.trim() !== '');
          let ticks = 0;
          for (const pid of pids) {
            try {
              const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
              // utime, stime and the children's (the control shell's subshells, once reaped)
              ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
            } catch {
              // gone
            }
          }
          return ticks;
        };
        /** Wall, runner CPU and host CPU per trip over COST_REVERTS trips, as `<prefix>_{wall,runner_cpu,host_cpu}_per_<unit>_us`. */
        const cost = async (prefix: string, unit: string, trip: () => Promise<unknown>): Promise<void> => {
          const ticks0 = await hostTicks();
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < COST_REVERTS; i++) await trip();
          const wall = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          const ticks = (await hostTicks()) - ticks0;
          figure(`${prefix}_wall_per_${unit}_us`, (wall * 1000) / COST_REVERTS, 'us');
          figure(`${prefix}_runner_cpu_per_${unit}_us`, (cpu.user + cpu.system) / COST_REVERTS, 'us');
          // clock ticks are 10 ms: over 400 trips that is 25 us of resolution
          figure(`${prefix}_host_cpu_per_${unit}_us`, (ticks * 10_000) / COST_REVERTS, 'us');
        };
        await cost('fleet_revert', 'revert', () => conn.quickSignal('CONT', redis.pid, redis.startTime, { timeoutMs: 10_000 }));
        // the same on the reference (a plain ssh2 shell, `kill -CONT $P; echo ok`): what is firedrill's
        const ref = await openRefShell(lab, h0);
        try {
          await cost('ssh_roundtrip', 'trip', () => ref.trip('kill -CONT $P; echo ok'));
        } finally {
          ref.client.end();
        }
      } finally {
        conn.close();
      }
    }

    // 2. kill switch on a remote fault
    const h = lab.hosts[0] as FleetHost;
    const tripDrill = await loaded(drillText(lab.hostList().slice(0, 1), { faultDuration: '30s', killSwitch: true }));
    const reactions: number[] = [];
    let leftovers = 0;
    const t1 = performance.now();
    for (let i = 0; i < (PARTS.has('trip') ? TRIPS : 0) && more(i, 10, t1, suiteBudgetS * 200); i++) {
      const j = await runOnce(tripDrill, 100 + i, async () => {
        const start = performance.now();
        const ok = (await stateOf(lab, h)) !== 'T';
        return { ok, latencyMs: performance.now() - start, ...(ok ? {} : { error: 'paused on the host' }) };
      });
      if (j.killSwitch.reactionMs === undefined || j.outcome.exitCode !== 3) throw new Error(`trip ${i} did not trip: ${j.outcome.reason}`);
      reactions.push(j.killSwitch.reactionMs);
      if ((await stateOf(lab, h)) === 'T') leftovers++;
    }
    if (PARTS.has('trip')) noteCut('fleet kill-switch trips', reactions.length, TRIPS);
    if (PARTS.has('trip')) {
    figure('ssh_kill_switch_trips', reactions.length, 'runs');
    figure('ssh_kill_switch_reaction_p50_ms', percentile(reactions, 50), 'ms');
    figure('ssh_kill_switch_reaction_p99_ms', percentile(reactions, 99), 'ms');
    figure('ssh_kill_switch_leftovers', leftovers, 'processes');
    }

    // 3. the runner and its dead-man switch SIGKILLed: only the host's lease is left to revert
    const leaseMs = 1000;
    const file = join(lab.dir, 'lease-drill.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, drillText(lab.hostList().slice(1, 2), { faultDuration: '60s', killSwitch: false, lease: '1s' }));
    const target = lab.hosts[1] as FleetHost;
    const afterLease: number[] = [];
    const t2 = performance.now();
    for (let i = 0; i < (PARTS.has('lease') ? LEASE_RUNS : 0) && more(i, 3, t2); i++) {
      const cli = startCli(['run', file, '--env', 'bench', '--yes', '--report-dir', join(lab.dir, 'reports'), '--identity', lab.clientKey, '--known-hosts', lab.knownHosts], {
        env: { FIREDRILL_STATE_DIR: join(lab.dir, `state-${i}`), SSH_AUTH_SOCK: '' },
      });
      try {
        await watchStderr(cli).until(/injected SIGSTOP/, { timeoutMs: 60_000 });
        const kids = await execa('pgrep', ['-P', String(cli.pid)], { reject: false });
        const t0 = performance.now();
        for (const pid of [cli.pid, ...String(kids.stdout).split('\n').map(Number).filter((p) => p > 0)]) {
          try {
            if (pid !== undefined) process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        let state = await stateOf(lab, target);
        while (state === 'T' && performance.now() - t0 < leaseMs + 10_000) state = await stateOf(lab, target);
        if (state === 'T') throw new Error('the lease did not revert the pause');
        afterLease.push(performance.now() - t0 - leaseMs);
      } finally {
        cli.kill('SIGKILL');
        await cli.catch(() => undefined);
      }
    }
    if (PARTS.has('lease')) {
      figure('remote_lease_revert_ms', median(afterLease), 'ms');
      figure('remote_lease_revert_max_ms', Math.max(...afterLease), 'ms');
    }
  } finally {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => console.error('cleanup failed:', e));
  }
}
