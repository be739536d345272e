/**
 * Time to revert (unpause) N = 1, 5, 20 paused containers: real runs of the runner with a
 * container-pause fault on every container of a label, on a real engine. The figure is the time
 * from the first undo starting to the last container reported unpaused (journal times), median
 * over several runs per N. Containers are tiny busybox images built here; all are removed after.
 * Reference, interleaved with the N = 20 runs: one `docker unpause` call with the 20 names
 * (the containers paused with `docker pause` just before), timed around the CLI process.
 */
import { execa } from 'execa';
import { validateDrillText, type LoadedDrill } from '../../src/drill/load.js';
import { Redactor } from '../../src/drill/secrets.js';
import { silentLogger } from '../../src/observability/logger.js';
import { systemClock } from '../../src/clock/clock.js';
import { runDrill } from '../../src/runner/run-drill.js';
import { buildSleeperImage, dockerMissing, IMAGES, removeTestContainers, TEST_LABEL } from '../support/images.js';
import { figure, percentile } from './_figure.js';
import { budgetLeftMs, suiteBudgetS } from './_budget.js';

const SIZES = [1, 5, 20] as const;
const RUNS_PER_SIZE = 5;

const drillText = (run: string, n: number) => `
apiVersion: firedrill/v1
name: bench-container-revert
environments: [bench]
targets:
  fleet:
    container: { label: ["${TEST_LABEL}=${run}"] }
blastRadius: { target: fleet, select: { mode: all }, maxTargets: ${n}, maxDuration: 2m }
faults:
  - { type: container-pause, target: fleet, duration: 300ms }
probes:
  ok:
    command: { run: "true" }
    interval: 50ms
phases: { preflight: 100ms, baseline: 0s, recovery: 0s }
`;

async function loaded(run: string, n: number): Promise<LoadedDrill> {
  const source = drillText(run, n);
  const result = await validateDrillText('bench.yaml', source);
  if (!result.drill) throw new Error(JSON.stringify(result.problems));
  return { file: 'bench.yaml', source, sha256: '', drill: result.drill, redactedDrill: result.drill, redactor: new Redactor(), vars: {}, ports: {}, warnings: [] };
}

async function startFleet(run: string, n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      execa('docker', ['run', '-d', '--name', `fd-${run}-${i}`, '--label', `${TEST_LABEL}=${run}`, IMAGES.sleeper, 'exec sleep 600']),
    ),
  );
}

/** Under `all`: another run of N containers fits when its share of the budget is not spent (N = 20 runs get half). */
function fits(n: number, t0: number, done: number): boolean {
  if (suiteBudgetS === Infinity) return true;
  const perRun = (performance.now() - t0) / done;
  const reserve = n === 20 ? 0 : suiteBudgetS * 500;
  return budgetLeftMs() - reserve > perRun * 1.2;
}

async function pausedCount(run: string): Promise<number> {
  const r = await execa('docker', ['ps', '-q', '--filter', `label=${TEST_LABEL}=${run}`, '--filter', 'status=paused']);
  return r.stdout.split('\n').filter(Boolean).length;
}

export default async function run(): Promise<void> {
  if (dockerMissing(['busybox'])) return;
  await buildSleeperImage();
  let leftovers = 0;
  const cli: number[] = [];
  let firedrill20: number[] = [];
  for (const n of SIZES) {
    const runId = `bench-${process.pid}-n${n}`;
    const reverts: number[] = [];
    try {
      await startFleet(runId, n);
      const drill = await loaded(runId, n);
      const t0 = performance.now();
      for (let i = 0; i < RUNS_PER_SIZE && (i < 3 || fits(n, t0, i)); i++) {
        const journal = await runDrill(drill, {
          runId: `${runId}-${i}`, environment: 'bench', allowProduction: false, seed: i, stopFiles: [],
          operatorSignal: new AbortController().signal, baseDir: process.cwd(), nearMissShare: 0.1,
          clock: systemClock, logger: silentLogger(),
          probeRunner: async () => ({ ok: true, latencyMs: 0 }),
        });
        const faults = journal.faults.filter((f) => f.status === 'reverted');
        if (faults.length !== n) throw new Error(`run ${i} with ${n} containers: ${faults.length} reverted; ${journal.outcome.reason}`);
        const start = Math.min(...faults.map((f) => f.revertStartT ?? Infinity));
        const end = Math.max(...faults.map((f) => f.revertedT ?? -Infinity));
        reverts.push(end - start);
        leftovers += await pausedCount(runId);
        if (n === 20) {
          // the reference, interleaved: what an operator would type, one CLI call with every name
          const names = Array.from({ length: n }, (_, k) => `fd-${runId}-${k}`);
          await execa('docker', ['pause', ...names]);
          const t0 = performance.now();
          await execa('docker', ['unpause', ...names]);
          cli.push(performance.now() - t0);
          leftovers += await pausedCount(runId);
        }
      }
    } finally {
      await removeTestContainers(runId);
    }
    if (n === 20) firedrill20 = reverts;
    figure(`container_revert_ms_n${n}`, percentile(reverts, 50), 'ms');
    figure(`container_revert_per_container_ms_n${n}`, percentile(reverts, 50) / n, 'ms');
  }
  const spread = (xs: number[]): string => `min ${Math.min(...xs).toFixed(0)} / median ${percentile(xs, 50).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`NOTE 20 containers: firedrill revert ${spread(firedrill20)}; docker unpause with 20 names ${spread(cli)}`);
  figure('docker_cli_unpause_20_ms', percentile(cli, 50), 'ms');
  figure('container_revert_20_vs_docker_cli', percentile(firedrill20, 50) / percentile(cli, 50), 'x');
  figure('container_revert_leftovers', leftovers, 'containers');
}
