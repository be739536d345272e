/**
 * The kill switch on a firing alert, with real components: the bundled drill
 * drills/shop-prometheus-checkout.yaml against Debian's Prometheus evaluating the bundled rule file
 * (examples/prometheus/shop-rules.yml), and the alert probe against a real Alertmanager.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { probeSchema } from '../../src/drill/schema.js';
import { alertProber } from '../../src/probes/alert/alert-probe.js';
import { repoRoot, runCli, startCli, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { freePort, promQuery, startAlertmanager, startPrometheus, waitFor, type Component } from '../support/prometheus.js';

const skip = missing({ commands: ['prometheus', 'prometheus-alertmanager'] });

function journalFrom(stderr: string): Journal<Sample[]> {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

describe.skipIf(skip)('the bundled Prometheus drill', () => {
  const out = tempDir('firedrill-prom-alert-');
  let prometheus: Component | undefined;
  let ports: { api: number; backend: number };
  afterAll(async () => {
    await prometheus?.stop();
    out.cleanup();
  });
  beforeAll(async () => {
    ports = { api: await freePort(), backend: await freePort() };
    prometheus = await startPrometheus({
      targets: [`127.0.0.1:${ports.api}`],
      rules: readFileSync(join(repoRoot, 'examples/prometheus/shop-rules.yml'), 'utf8'),
    });
  });

  it('stops on the team\'s ShopCheckoutFailing alert and reverts at once (exit 3)', async () => {
    const vars = [`SHOP_API_PORT=${ports.api}`, `SHOP_BACKEND_PORT=${ports.backend}`, `PROMETHEUS_URL=${prometheus?.url ?? ''}`].flatMap((v) => ['--var', v]);
    const r = await runCli(['run', 'drills/shop-prometheus-checkout.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir, '--log-format', 'json', ...vars], {
      timeoutMs: 90_000,
    });
    expect(r.exitCode, r.stderr).toBe(3);
    const journal = journalFrom(r.stderr);
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe', condition: 'checkout-alert: alert firing' });
    expect(journal.killSwitch.reason).toContain('alert ShopCheckoutFailing firing');
    expect(journal.faults[0]?.status).toBe('reverted');
    // the fault ended on the alert, well before its planned 15 s
    const fault = journal.faults[0];
    expect((fault?.revertedT ?? Infinity) - (fault?.injectedT ?? 0)).toBeLessThan(12_000);
    // the ratio the alert is about was visible in the probe's values before it fired
    const ratios = journal.samples.filter((s) => s.probe === 'checkout-error-ratio' && s.phase === 'fault').map((s) => s.value ?? 0);
    expect(Math.max(...ratios)).toBeGreaterThan(0.2);
    expect(journal.expectations.find((e) => e.phase === 'baseline')).toMatchObject({ ok: true });
  });
});

describe.skipIf(skip)('alerts through Alertmanager', () => {
  const out = tempDir('firedrill-am-');
  let alertmanager: Component | undefined;
  let prometheus: Component | undefined;
  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    out.cleanup();
  });
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${alertmanager?.url ?? ''}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  const check = (alertname: string, labels: Record<string, string> = {}) => {
    const spec = probeSchema.parse({ alert: { url: alertmanager?.url ?? '', source: 'alertmanager', alertname, labels } }).alert;
    if (!spec) throw new Error('no alert spec');
    return alertProber.check(spec, { timeoutMs: 2000, signal: new AbortController().signal });
  };

  it('sees an alert Prometheus sent fire, with the labels of the rule', async () => {
    // port 1: nothing listens there, and no other suite can bind it meanwhile (a free port could be
    // taken by a parallel suite's server between the check and the scrape, and then `up` is 1)
    prometheus = await startPrometheus({
      targets: ['127.0.0.1:1'],
      alertmanager: alertmanager?.url ?? '',
      rules: 'groups:\n  - name: t\n    rules:\n      - alert: ScrapeTargetDown\n        expr: up == 0\n        labels: { severity: page }\n',
    });
    // nothing listens on the target, so `up` is 0 and the alert fires at once
    await waitFor('the alert in Prometheus', async () => ((await promQuery(prometheus?.url ?? '', 'ALERTS{alertstate="firing"}')).length > 0 ? true : undefined), { timeoutMs: 60_000 });
    const seen = await waitFor('the alert at Alertmanager', async () => {
      const r = await check('ScrapeTargetDown', { severity: 'page' });
      return r.ok ? undefined : r;
    });
    expect(seen).toMatchObject({ ok: false, value: 1, outcome: 'value', error: 'alert ScrapeTargetDown firing' });
    expect(seen.detail).toContain('severity="page"');
  });

  it('counts a silenced alert as firing and matches labels by regex', async () => {
    const now = Date.now();
    await post('/api/v2/alerts', [
      { labels: { alertname: 'QueueStuck', queue: 'orders-eu' }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() },
    ]);
    await post('/api/v2/silences', {
      matchers: [{ name: 'alertname', value: 'QueueStuck', isRegex: false }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 300_000).toISOString(),
      createdBy: 'firedrill-test',
      comment: 'game day',
    });
    const silenced = await waitFor('the silence to apply', async () => {
      const r = await check('QueueStuck', { queue: '/orders-.*/' });
      return r.detail?.includes('silenced') ? r : undefined;
    });
    expect(silenced).toMatchObject({ ok: false, value: 1, detail: '{queue="orders-eu"}; 1 silenced or inhibited' });
    expect(await check('QueueStuck', { queue: 'orders' })).toMatchObject({ ok: true, value: 0 });
  });

  it('trips a drill\'s kill switch when the alert arrives at Alertmanager mid-fault (exit 3)', async () => {
    const file = join(out.dir, 'am-drill.yaml');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'firedrill/v1',
        name: 'am-kill-switch',
        hypothesis: 'nothing pages while a sleeper is paused',
        environments: ['test'],
        targets: { sleeper: { start: { command: ['sleep', '60'] } } },
        blastRadius: { target: 'sleeper', maxDuration: '1m' },
        faults: [{ type: 'process-pause', target: 'sleeper', duration: '30s' }],
        probes: { page: { alert: { url: alertmanager?.url ?? '', source: 'alertmanager', alertname: 'DrillPage' }, interval: '100ms' } },
        phases: { preflight: '500ms', baseline: '500ms', recovery: '500ms' },
        killSwitch: [{ probe: 'page', alertFiring: true }],
      }),
    );
    const child = startCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { timeoutMs: 60_000 });
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => (seen += String(chunk)));
    const deadline = Date.now() + 20_000;
    while (!/"msg":"injected /.test(seen) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toMatch(/"msg":"injected /);
    const now = Date.now();
    await post('/api/v2/alerts', [{ labels: { alertname: 'DrillPage' }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() }]);
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(3);
    const journal = journalFrom(String(r.stderr));
    expect(journal.killSwitch).toMatchObject({ kind: 'probe', condition: 'page: alert firing', reason: 'alert DrillPage firing' });
    expect(journal.faults[0]?.status).toBe('reverted');
  });
});
