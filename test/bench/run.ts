/**
 * `npm run bench -- <suite>` runs test/bench/<suite>.ts, whose default export prints
 * `FIGURE <name> <value> <unit>` lines; `all` runs every suite in turn (a suite that fails is
 * reported and the others still run). Without a suite name it lists the suites.
 * test/bench/README.md says what each suite measures, how, and against which reference.
 * `all` ends with a check of issue 17's figures (each printed? the whole run under 15 minutes?).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
/** The figures issue 17 names: `all` must print each of them, in under ALL_BUDGET_MS. */
const ISSUE_17_FIGURES = [
  'kill_switch_under_stress_p99_ms',
  'kill_switch_under_stress_sigterm_p99_ms',
  'kill_switch_under_stress_sigint_p99_ms',
  'latency_fault_p99_error_ms',
  'toxiproxy_latency_fault_p99_error_ms',
  'proxy_cpu_per_req_vs_haproxy',
  'container_revert_20_vs_docker_cli',
  'journal_mb_per_hour_20_probes_4hz',
  'runner_rss_mib_1h',
  'validate_start_ratio',
];
const ALL_BUDGET_MS = 15 * 60_000;
// every FIGURE line any suite prints, whatever prints it (suites print through console.log)
const printed = new Set<string>();
const log = console.log.bind(console);
console.log = (...parts: unknown[]) => {
  for (const m of String(parts[0] ?? '').matchAll(/^FIGURE (\S+) /gm)) printed.add(m[1] as string);
  log(...parts);
};
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const args = process.argv.slice(2);
const wanted = args.includes('all') ? suites : args;
if (wanted.length === 0) {
  console.log(`suites: ${suites.join(', ')}\nusage: npm run bench -- <suite>... | all`);
} else {
  const unknown = wanted.filter((name) => !suites.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown bench suite "${unknown.join('", "')}"; suites: ${suites.join(', ')}, all`);
    process.exitCode = 2;
  } else {
    const started = performance.now();
    for (const name of wanted) {
      const t0 = performance.now();
      console.log(`== ${name}`);
      try {
        const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: () => Promise<void> };
        await mod.default();
      } catch (e) {
        // one broken suite must not hide the others' figures; the exit code still says it failed
        console.error(`bench suite ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exitCode = 1;
      }
      console.log(`== ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const tookMs = performance.now() - started;
    if (wanted.length > 1) console.log(`== all suites took ${(tookMs / 1000).toFixed(1)} s (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    if (args.includes('all')) {
      const missing = ISSUE_17_FIGURES.filter((name) => !printed.has(name));
      console.log(`== issue 17 figures: ${ISSUE_17_FIGURES.length - missing.length}/${ISSUE_17_FIGURES.length} printed${missing.length ? `; missing: ${missing.join(', ')}` : ''}; ${tookMs <= ALL_BUDGET_MS ? 'within' : 'OVER'} the 15-minute budget`);
      if (missing.length > 0 || tookMs > ALL_BUDGET_MS) process.exitCode = 1;
    }
  }
}
