/**
 * Alert kill-switch reaction: from the moment a firing alert is visible in Prometheus' API to the
 * fault reverted (SIGCONT delivered), over real runs of the runner against a real Prometheus.
 *
 * A trigger gauge served here is scraped by Debian's `prometheus` (100 ms scrape and evaluation);
 * the rule `bench_trigger > 0` fires at once. Mid-fault the bench flips the gauge, polls
 * `ALERTS{alertstate="firing"}` every 5 ms to time when the alert becomes visible, and the drill's
 * alert probe (interval 100 ms) trips the kill switch. Both clocks are this process's
 * performance.now(), so the two moments compare directly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { validateDrillText, type LoadedDrill } from '../../src/drill/load.js';
import { Redactor } from '../../src/drill/secrets.js';
import { silentLogger } from '../../src/observability/logger.js';
import { systemClock } from '../../src/clock/clock.js';
import { runDrill } from '../../src/runner/run-drill.js';
import { hasCommand } from '../support/components.js';
import { promQuery, startPrometheus, waitFor } from '../support/prometheus.js';
import { figure, percentile } from './_figure.js';
import { more } from './_budget.js';

const RUNS = 15;
const PROBE_INTERVAL = '100ms';
const VISIBLE_POLL_MS = 5;

const drillText = (prometheusUrl: string) => `
apiVersion: firedrill/v1
name: bench-alert-kill-switch
environments: [bench]
targets:
  victim:
    start: { command: [sleep, "600"] }
blastRadius: { target: victim, maxDuration: 1m }
faults:
  - { type: process-pause, target: victim, duration: 30s }
probes:
  page:
    alert: { url: "${prometheusUrl}", alertname: BenchTrigger }
    interval: ${PROBE_INTERVAL}
    timeout: 1s
phases: { preflight: 200ms, baseline: 0s, recovery: 0s }
killSwitch:
  - { probe: page, alertFiring: true }
`;

const RULES = `groups:
  - name: bench
    rules:
      - alert: BenchTrigger
        expr: bench_trigger > 0
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(): Promise<void> {
  if (!hasCommand('prometheus')) {
    console.error('prometheus is not installed (apt-get install prometheus); nothing measured');
    process.exitCode = 2;
    return;
  }
  const registry = new Registry();
  const trigger = new Gauge({ name: 'bench_trigger', help: 'set by the bench to make the alert fire', registers: [registry] });
  trigger.set(0);
  const server = http.createServer((_req, res) => {
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prometheus = await startPrometheus({ targets: [target], job: 'bench', rules: RULES, intervalMs: 100 }).catch(async (e: unknown) => {
    server.close();
    throw e;
  });
  const firing = async () => (await promQuery(prometheus.url, 'ALERTS{alertname="BenchTrigger",alertstate="firing"}')).length > 0;
  const reactions: number[] = [];
  const journalReactions: number[] = [];
  try {
    await waitFor('the first scrape', async () => ((await promQuery(prometheus.url, 'bench_trigger')).length > 0 ? true : undefined));
    const text = drillText(prometheus.url);
    const result = await validateDrillText('bench.yaml', text);
    if (!result.drill) throw new Error(JSON.stringify(result.problems));
    const loaded: LoadedDrill = {
      file: 'bench.yaml', source: text, sha256: '', drill: result.drill, redactedDrill: result.drill,
      redactor: new Redactor(), vars: {}, ports: {}, warnings: [],
    };
    for (let i = 0; i < RUNS && more(i, 8); i++) {
      trigger.set(0);
      await waitFor('the alert to resolve', async () => ((await firing()) ? undefined : true), { timeoutMs: 10_000, everyMs: 20 });
      let injected: () => void = () => undefined;
      const injectedNow = new Promise<void>((resolve) => (injected = resolve));
      let revertedAt: number | undefined;
      const running = runDrill(loaded, {
        runId: `bench-alert-${i}`, environment: 'bench', allowProduction: false, seed: i, stopFiles: [],
        operatorSignal: new AbortController().signal, baseDir: process.cwd(), nearMissShare: 0.1,
        clock: systemClock, logger: silentLogger(),
        observers: [{
          onFault: (f) => {
            if (f.status === 'injected') injected();
            if (f.status === 'reverted') revertedAt ??= performance.now();
          },
        }],
      });
      await Promise.race([injectedNow, running]);
      trigger.set(1);
      let visibleAt: number | undefined;
      const deadline = performance.now() + 10_000;
      while (visibleAt === undefined && revertedAt === undefined && performance.now() < deadline) {
        if (await firing()) visibleAt = performance.now();
        else await sleep(VISIBLE_POLL_MS);
      }
      const journal = await running;
      if (journal.outcome.exitCode !== 3 || journal.killSwitch.condition !== 'page: alert firing') {
        throw new Error(`run ${i} did not trip on the alert: ${journal.outcome.reason}`);
      }
      // the probe saw it before the bench's own poll did: it became visible no later than the revert
      visibleAt ??= revertedAt;
      if (revertedAt === undefined || visibleAt === undefined) throw new Error(`run ${i}: no revert time`);
      reactions.push(revertedAt - visibleAt);
      if (journal.killSwitch.reactionMs !== undefined) journalReactions.push(journal.killSwitch.reactionMs);
    }
  } finally {
    trigger.set(0);
    await prometheus.stop();
    server.closeAllConnections();
    server.close();
  }
  console.log(`probe interval ${PROBE_INTERVAL}, Prometheus scrape and evaluation every 100ms, ${reactions.length} of ${RUNS} runs`);
  figure('alert_kill_switch_reaction_ms', percentile(reactions, 50), 'ms');
  figure('alert_kill_switch_reaction_p90_ms', percentile(reactions, 90), 'ms');
  figure('alert_kill_switch_reaction_max_ms', Math.max(...reactions), 'ms');
  figure('alert_kill_switch_trip_to_revert_p50_ms', percentile(journalReactions, 50), 'ms');
}
