/**
 * `npm run bench -- <suite>...` runs test/bench/<suite>.ts, whose default export prints
 * `FIGURE <name> <value> <unit>` lines; `all` runs every suite in turn, each in its own process
 * with a time budget (FD_BENCH_BUDGET_S, see _budget.ts). Without a suite name it lists the suites.
 * A suite still running at the end of its budget is asked to stop (SIGTERM to its process: its loops
 * end, it cleans up and prints what it has); one still running BUDGET_GRACE_S later is killed with its
 * process group and the leftover check runs. A suite that throws, exits non-zero or is killed
 * fails the whole run (exit code 1), and so
 * does a figure that issues 14, 16 or 17 name and no suite printed, or `all` taking over 15 minutes.
 * test/bench/README.md says what each suite measures, how, and against which reference.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { figure } from './_figure.js';
import { askStop } from './_budget.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The figures issues 14, 16 and 17 name: `all` must print each of them, in under ALL_BUDGET_S. */
const NAMED_FIGURES = [
  // issue 14 (fleet)
  'fleet_revert_ratio_20_to_1',
  // its reference in the same run: plain ssh2 round trips, no firedrill code
  'ssh_roundtrip_ratio_20_to_1',
  'remote_lease_revert_ms',
  'ssh_kill_switch_reaction_p99_ms',
  // issue 16 and 17 (startup)
  'validate_start_ratio',
  // issue 17
  'kill_switch_under_stress_p99_ms',
  'kill_switch_under_stress_sigterm_p99_ms',
  'kill_switch_under_stress_sigint_p99_ms',
  'latency_fault_p50_error_ms',
  'latency_fault_p99_error_ms',
  'toxiproxy_latency_fault_p50_error_ms',
  'toxiproxy_latency_fault_p99_error_ms',
  'proxy_cpu_per_req_vs_haproxy',
  'proxy_added_p99_vs_haproxy',
  'proxy_throughput_vs_haproxy',
  'container_revert_20_vs_docker_cli',
  'journal_mb_per_hour_20_probes_4hz',
  'runner_rss_mib_1h',
  'report_html_render_ms_1h',
];
const ALL_BUDGET_S = 15 * 60;
/**
 * Seconds each suite may take under `all` (sum 870 s: 15 minutes less the margin for process
 * starts). A suite not listed gets DEFAULT_BUDGET_S. Suites with repeated runs fit their run count
 * to this budget (fewer samples on a slow machine, noted in a NOTE line), the others are short.
 */
const BUDGET_S: Record<string, number> = {
  'kill-switch-stress': 150,
  fleet: 150,
  proxy: 95,
  'self-chaos': 90,
  'journal-rss': 160,
  containers: 50,
  prometheus: 30,
  'latency-accuracy': 40,
  journal: 30,
  'kill-switch': 25,
  report: 20,
  startup: 30,
};
const DEFAULT_BUDGET_S = 30;
/** How long a suite asked to stop may take to finish its current run and clean up before it is killed. */
const BUDGET_GRACE_S = 45;

const suites = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Runs one suite in this process (the child side of `all`, and a single suite run directly). */
async function runSuiteHere(name: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: () => Promise<void> };
  await mod.default();
}

type SuiteResult = { name: string; ok: boolean; why?: string; seconds: number; figures: string[] };

/** Runs one suite in its own process group, passing its output through and collecting its figures. */
function runSuiteChild(name: string, budgetS: number): Promise<SuiteResult> {
  const t0 = performance.now();
  const figures: string[] = [];
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--in-process', name], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: { ...process.env, FD_BENCH_BUDGET_S: String(budgetS) },
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = /^FIGURE (\S+) /.exec(line);
    if (m) figures.push(m[1] as string);
    console.log(line);
  });
  let killedForBudget = false;
  const signalChild = (signal: NodeJS.Signals, group: boolean): void => {
    try {
      if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, signal);
    } catch {
      // gone already
    }
  };
  // at the end of the budget: asked to stop (the suite's loops end and it cleans up after itself)
  const ask = setTimeout(() => {
    console.error(`bench suite ${name} reached its ${budgetS} s budget: asking it to stop`);
    signalChild('SIGTERM', false);
  }, budgetS * 1000);
  // still there after the grace: killed with everything it started
  const kill = setTimeout(() => {
    killedForBudget = true;
    console.error(`bench suite ${name} still runs ${BUDGET_GRACE_S} s after its ${budgetS} s budget: killing its process group`);
    signalChild('SIGKILL', true);
  }, (budgetS + BUDGET_GRACE_S) * 1000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(ask);
      clearTimeout(kill);
      const seconds = (performance.now() - t0) / 1000;
      if (killedForBudget) resolve({ name, ok: false, why: `killed after ${seconds.toFixed(0)} s (budget ${budgetS} s)`, seconds, figures });
      else if (code !== 0) resolve({ name, ok: false, why: signal ? `died of ${signal}` : `exit code ${code}`, seconds, figures });
      else resolve({ name, ok: true, seconds, figures });
    });
  });
}

/** What a killed suite may have left: the same check CI runs after the tests. */
async function leftoverCheck(): Promise<void> {
  const r = await execa('/work/shared/tools/no-leftovers', { reject: false }).catch(() => undefined);
  if (r) console.error(`leftover check after a killed suite: ${r.stdout}`);
}

async function runAll(wanted: string[], checkNamed: boolean): Promise<void> {
  const started = performance.now();
  const results: SuiteResult[] = [];
  for (const name of wanted) {
    console.log(`== ${name} (budget ${BUDGET_S[name] ?? DEFAULT_BUDGET_S} s, load ${load()})`);
    const r = await runSuiteChild(name, BUDGET_S[name] ?? DEFAULT_BUDGET_S);
    results.push(r);
    console.log(`== ${name} took ${r.seconds.toFixed(1)} s${r.ok ? '' : `: FAILED (${r.why})`}`);
    if (r.why?.startsWith('killed')) await leftoverCheck();
  }
  const tookS = (performance.now() - started) / 1000;
  console.log(`== suites: ${results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s${r.ok ? '' : ' FAILED'}`).join(', ')}`);
  figure('bench_all_seconds', tookS, 's');
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    console.error(`bench FAILED: ${failed.map((r) => `${r.name} (${r.why})`).join(', ')}`);
    process.exitCode = 1;
  }
  if (checkNamed) {
    const printed = new Set(results.flatMap((r) => r.figures));
    const missing = NAMED_FIGURES.filter((n) => !printed.has(n));
    const within = tookS <= ALL_BUDGET_S;
    console.log(`== named figures (issues 14, 16, 17): ${NAMED_FIGURES.length - missing.length}/${NAMED_FIGURES.length} printed; ${within ? 'within' : 'OVER'} the 15-minute budget (${tookS.toFixed(0)} s, load ${load()})`);
    if (missing.length > 0) console.error(`bench FAILED: named figures missing: ${missing.join(', ')}`);
    if (!within) console.error(`bench FAILED: all suites took ${tookS.toFixed(0)} s, over ${ALL_BUDGET_S} s`);
    if (missing.length > 0 || !within) process.exitCode = 1;
  }
}

const args = process.argv.slice(2);
if (args[0] === '--in-process') {
  // the runner's "budget spent": loops that ask more() end; without a handler SIGTERM would kill the suite before its cleanup
  process.on('SIGTERM', () => {
    console.log(`NOTE ${args[1]}: budget spent, stopping after the current run`);
    askStop();
  });
  try {
    await runSuiteHere(args[1] as string);
  } catch (e) {
    console.error(`bench suite ${args[1]} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  }
} else {
  const wanted = args.includes('all') ? suites : args;
  const unknown = wanted.filter((name) => !suites.includes(name));
  if (wanted.length === 0) {
    console.log(`suites: ${suites.join(', ')}\nusage: npm run bench -- <suite>... | all`);
  } else if (unknown.length > 0) {
    console.error(`unknown bench suite "${unknown.join('", "')}"; suites: ${suites.join(', ')}, all`);
    process.exitCode = 2;
  } else if (wanted.length === 1) {
    // one suite named: in this process, no budget, every planned run
    const t0 = performance.now();
    try {
      await runSuiteHere(wanted[0] as string);
    } catch (e) {
      console.error(`bench suite ${wanted[0]} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    }
    console.log(`== ${wanted[0]} took ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load()})`);
  } else {
    await runAll(wanted, args.includes('all'));
  }
}
