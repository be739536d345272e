/**
 * Drills that read a real Prometheus (Debian's `prometheus`, started here on a loopback port with a
 * temp config scraping the example shop): the error ratio rises during a backend stall, a PromQL
 * threshold trips the kill switch, and a Prometheus that dies mid-drill trips the fail-safe.
 * The drills run through the built CLI; the runner starts and stops the shop itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { repoRoot, runCli, startCli, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { freePort, startPrometheus, type Component } from '../support/prometheus.js';

const skip = missing({ commands: ['prometheus'] });

const ERROR_RATIO =
  '(sum(rate(shop_http_requests_total{route="/checkout",status=~"5.."}[2s])) or vector(0)) / sum(rate(shop_http_requests_total{route="/checkout"}[2s]))';

interface Ports {
  api: number;
  backend: number;
}

/** A drill that stalls the shop's backend while a Prometheus probe reads checkout's error ratio. */
function drill(name: string, ports: Ports, prometheusUrl: string, extra: { faultDuration: string; killSwitch?: unknown[]; grace?: string; expect?: unknown }): string {
  const shop = (script: string, env: Record<string, string | number>, port: number) => ({
    command: [process.execPath, join(repoRoot, 'examples/shop', script)],
    env,
    ready: { http: `http://127.0.0.1:${port}/health`, timeout: '10s' },
  });
  return stringify({
    apiVersion: 'firedrill/v1',
    name,
    hypothesis: 'checkout errors stay under 5 % while the backend stalls',
    environments: ['test'],
    targets: {
      backend: { start: shop('backend.js', { BACKEND_PORT: ports.backend }, ports.backend) },
      api: { start: shop('api.js', { API_PORT: ports.api, BACKEND_URL: `http://127.0.0.1:${ports.backend}`, BACKEND_TIMEOUT_MS: 300 }, ports.api) },
    },
    blastRadius: { target: 'backend', maxDuration: '1m' },
    faults: [{ type: 'process-pause', target: 'backend', duration: extra.faultDuration }],
    probes: {
      checkout: { http: { url: `http://127.0.0.1:${ports.api}/checkout`, expectStatus: 200 }, interval: '200ms', timeout: '1s' },
      errors: {
        prometheus: { url: prometheusUrl, query: ERROR_RATIO, empty: 'zero', ...(extra.grace ? { grace: extra.grace } : {}) },
        interval: '250ms',
        timeout: '1s',
      },
    },
    phases: { preflight: '2s', baseline: '3s', recovery: '3s' },
    expect: extra.expect ?? {},
    killSwitch: extra.killSwitch ?? [],
  });
}

function journalFrom(stderr: string): Journal<Sample[]> {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

const values = (journal: Journal<Sample[]>, phase: Sample['phase']) =>
  journal.samples.filter((s) => s.probe === 'errors' && s.phase === phase && s.value !== undefined).map((s) => s.value as number);

describe.skipIf(skip)('drills that read Prometheus', () => {
  const out = tempDir('firedrill-prom-');
  let prometheus: Component | undefined;
  let ports: Ports;
  afterAll(async () => {
    await prometheus?.stop();
    out.cleanup();
  });
  beforeAll(async () => {
    ports = { api: await freePort(), backend: await freePort() };
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${ports.api}`] });
  });

  const run = async (name: string, yaml: string) => {
    const file = join(out.dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { timeoutMs: 90_000 });
    return { ...r, journal: journalFrom(r.stderr) };
  };

  it('sees checkout\'s error ratio rise during the fault and judges the value expectations on it', async () => {
    const r = await run(
      'prom-error-ratio',
      drill('prom-error-ratio', ports, prometheus?.url ?? '', {
        faultDuration: '4s',
        expect: {
          baseline: [{ probe: 'errors', value: '< 5%' }],
          fault: [{ probe: 'errors', value: '< 5%' }],
        },
        killSwitch: [{ probe: 'checkout', consecutiveFailures: 1000 }],
      }),
    );
    // checkout has no fallback: the stall shows in the ratio, and the fault expectation is missed
    expect(r.exitCode, r.stderr).toBe(1);
    expect(Math.max(...values(r.journal, 'baseline'))).toBeLessThan(0.05);
    expect(Math.max(...values(r.journal, 'fault'))).toBeGreaterThan(0.2);
    expect(r.journal.samples.filter((s) => s.probe === 'errors').every((s) => s.outcome === 'value' || s.outcome === 'empty')).toBe(true);
    const [baseline, fault] = r.journal.expectations;
    expect(baseline).toMatchObject({ phase: 'baseline', metric: 'value', ok: true });
    expect(fault).toMatchObject({ phase: 'fault', metric: 'value', ok: false });
    expect(fault?.actual).toBeGreaterThan(0.2);
    // the PromQL the values came from travels with the journal
    expect(r.journal.drill.spec.probes.errors?.prometheus?.query).toBe(ERROR_RATIO);
  });

  it('trips the kill switch on a PromQL threshold and reverts long before the planned end', async () => {
    const r = await run(
      'prom-threshold',
      drill('prom-threshold', ports, prometheus?.url ?? '', { faultDuration: '30s', killSwitch: [{ probe: 'errors', valueAbove: 0.2, for: '500ms' }] }),
    );
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe', condition: 'errors: value above 0.2 for 500ms' });
    expect(r.journal.killSwitch.reason).toMatch(/^value above 0\.2 for /);
    expect(r.journal.killSwitch.samples?.every((s) => (s.value ?? 0) > 0.2)).toBe(true);
    const fault = r.journal.faults[0];
    expect(fault?.status).toBe('reverted');
    expect((fault?.revertedT ?? Infinity) - (fault?.injectedT ?? 0)).toBeLessThan(15_000);
  });
});

describe.skipIf(skip)('the fail-safe of a Prometheus probe', () => {
  const out = tempDir('firedrill-prom-kill-');
  let prometheus: Component | undefined;
  afterAll(async () => {
    await prometheus?.stop();
    out.cleanup();
  });

  it('trips the kill switch when Prometheus is SIGKILLed mid-drill and the grace period passes', async () => {
    const ports = { api: await freePort(), backend: await freePort() };
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${ports.api}`] });
    const file = join(out.dir, 'prom-dies.yaml');
    writeFileSync(file, drill('prom-dies', ports, prometheus.url, { faultDuration: '30s', grace: '2s', killSwitch: [{ probe: 'checkout', consecutiveFailures: 1000 }] }));
    const child = startCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { timeoutMs: 90_000 });
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => (seen += String(chunk)));
    const deadline = Date.now() + 30_000;
    while (!/"msg":"injected /.test(seen) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toMatch(/"msg":"injected /);
    const killedAt = Date.now();
    prometheus.kill();
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(3);
    const journal = journalFrom(String(r.stderr));
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'metrics-unreachable', condition: 'errors: Prometheus source unreachable for 2s' });
    expect(journal.killSwitch.reason).toContain('could not be read');
    expect(journal.killSwitch.reason).toContain('the runner cannot see the system');
    expect(journal.killSwitch.samples?.every((s) => s.outcome === 'unreachable')).toBe(true);
    expect(journal.faults[0]?.status).toBe('reverted');
    // it stopped on the grace period, not on the 30 s fault
    expect(Date.now() - killedAt).toBeLessThan(20_000);
  });
});
