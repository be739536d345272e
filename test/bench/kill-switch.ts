/**
 * Kill-switch reaction: from the sample that meets the condition to the fault reverted (SIGCONT
 * delivered), over real runs of the runner against a real paused process. The probe reads the
 * target's state from /proc, so it fails exactly while the pause is in place.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { validateDrillText } from '../../src/drill/load.js';
import type { LoadedDrill } from '../../src/drill/load.js';
import { silentLogger } from '../../src/observability/logger.js';
import { systemClock } from '../../src/clock/clock.js';
import { runDrill } from '../../src/runner/run-drill.js';
import { Redactor } from '../../src/drill/secrets.js';
import { figure, percentile } from './_figure.js';
import { more } from './_budget.js';

const TRIPS = 60;

const drillText = (pid: number) => `
apiVersion: firedrill/v1
name: bench-kill-switch
environments: [bench]
targets:
  victim:
    process: { pid: ${pid} }
blastRadius: { target: victim, maxDuration: 1m }
faults:
  - { type: process-pause, target: victim, duration: 30s }
probes:
  state:
    command: { run: "true" }
    interval: 10ms
    timeout: 500ms
phases: { preflight: 100ms, baseline: 30ms, recovery: 0s }
killSwitch:
  - { probe: state, consecutiveFailures: 1 }
`;

function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
}

export default async function run(): Promise<void> {
  // an orphan (its shell parent exits at once): the runner never selects its own children
  const pid = Number(execFileSync('sh', ['-c', 'sleep 600 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
  const reactions: number[] = [];
  let leftovers = 0;
  try {
    const result = await validateDrillText('bench.yaml', drillText(pid));
    if (!result.drill) throw new Error(JSON.stringify(result.problems));
    const loaded: LoadedDrill = {
      file: 'bench.yaml', source: drillText(pid), sha256: '', drill: result.drill, redactedDrill: result.drill,
      redactor: new Redactor(), vars: {}, ports: {}, warnings: [],
    };
    for (let i = 0; i < TRIPS && more(i, 20); i++) {
      const journal = await runDrill(loaded, {
        runId: `bench-${i}`, environment: 'bench', allowProduction: false, seed: i, stopFiles: [],
        operatorSignal: new AbortController().signal, baseDir: process.cwd(), nearMissShare: 0.1,
        clock: systemClock, logger: silentLogger(),
        probeRunner: async () => {
          const start = performance.now();
          const ok = procState(pid) !== 'T';
          return { ok, latencyMs: performance.now() - start, ...(ok ? {} : { error: 'target stopped' }) };
        },
      });
      if (journal.killSwitch.reactionMs === undefined || journal.outcome.exitCode !== 3) {
        throw new Error(`run ${i} did not trip: ${journal.outcome.reason}`);
      }
      reactions.push(journal.killSwitch.reactionMs);
      if (procState(pid) === 'T') leftovers++;
    }
  } finally {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGKILL');
  }
  figure('kill_switch_trips', reactions.length, 'runs');
  figure('kill_switch_reaction_p50_ms', percentile(reactions, 50), 'ms');
  figure('kill_switch_reaction_p99_ms', percentile(reactions, 99), 'ms');
  figure('kill_switch_leftovers', leftovers, 'processes');
}
