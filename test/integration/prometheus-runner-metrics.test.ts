/**
 * The runner's own metrics with real components: `--metrics-port` serves /metrics while a drill
 * runs (parsed with the same exposition parser the scrape probe uses), and `--pushgateway` pushes
 * the final result to Debian's prometheus-pushgateway.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { parseExposition, type Exposition } from '../../src/probes/scrape/exposition.js';
import { startCli, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { freePort, startPushgateway, waitFor, type Component } from '../support/prometheus.js';

const skip = missing({ commands: ['prometheus-pushgateway'] });

function journalFrom(stderr: string): Journal {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

function value(page: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return page.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return parseExposition(await res.text());
}

describe.skipIf(skip)('the runner\'s own metrics', () => {
  const out = tempDir('firedrill-runner-metrics-');
  let gateway: Component | undefined;
  afterAll(async () => {
    await gateway?.stop();
    out.cleanup();
  });

  it('serves /metrics on 127.0.0.1 during the run and pushes the final result to the Pushgateway', async () => {
    gateway = await startPushgateway();
    const port = await freePort();
    const file = join(out.dir, 'metrics-drill.yaml');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'firedrill/v1',
        name: 'runner-metrics',
        hypothesis: 'a paused sleeper hurts nobody',
        environments: ['test'],
        targets: { sleeper: { start: { command: ['sleep', '60'] } } },
        blastRadius: { target: 'sleeper', maxDuration: '1m' },
        faults: [{ type: 'process-pause', target: 'sleeper', duration: '4s' }],
        probes: { alive: { command: { run: ['true'] }, interval: '100ms' } },
        phases: { preflight: '300ms', baseline: '500ms', recovery: '500ms' },
        expect: { fault: [{ probe: 'alive', successRate: '>= 99%' }] },
        killSwitch: [{ probe: 'alive', consecutiveFailures: 3 }],
      }),
    );
    // 4 s of fault: the scrapes below (1 s timeout, every 100 ms) must catch it on a loaded CI host
    const child = startCli(
      ['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json', '--metrics-port', String(port), '--pushgateway', gateway.url],
      { timeoutMs: 60_000 },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const url = `http://127.0.0.1:${port}/metrics`;
    // mid-fault, the runner says what it is doing
    const live = await waitFor('the fault phase on /metrics', async () => {
      const page = await scrape(url);
      return value(page, 'firedrill_phase', { phase: 'fault' }) === 1 && value(page, 'firedrill_faults_active') === 1 ? page : undefined;
    });
    expect(live.badLines).toBe(0);
    expect(value(live, 'firedrill_drill_info', { drill: 'runner-metrics', environment: 'test' })).toBe(1);
    expect(value(live, 'firedrill_faults_overdue', { drill: 'runner-metrics' })).toBe(0);
    expect(value(live, 'firedrill_probe_up', { probe: 'alive' })).toBe(1);
    expect(live.types.get('firedrill_probe_latency_seconds')).toBe('histogram');
    const r = await child;
    expect(r.exitCode, stderr).toBe(0);
    expect(stderr).toContain(`runner metrics: ${url}`);
    // the server is gone with the run: it never outlives the drill
    await expect(fetch(url, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();

    const journal = journalFrom(stderr);
    expect(stderr).toContain(`pushed the result to ${gateway.url}`);
    const pushed = await scrape(`${gateway.url}/metrics`);
    const group = { job: 'firedrill', drill: 'runner-metrics', environment: 'test' };
    expect(value(pushed, 'firedrill_last_run_verdict', { ...group, verdict: 'passed' })).toBe(1);
    expect(value(pushed, 'firedrill_last_run_verdict', { ...group, verdict: 'failed' })).toBe(0);
    expect(value(pushed, 'firedrill_last_run_exit_code', group)).toBe(0);
    expect(value(pushed, 'firedrill_last_run_duration_seconds', group)).toBeCloseTo((journal.durationMs ?? 0) / 1000, 1);
    expect(value(pushed, 'firedrill_last_run_expectation_ok', { ...group, phase: 'fault', probe: 'alive' })).toBe(1);
    expect(value(pushed, 'firedrill_last_run_time_to_recover_seconds', group)).toBe(0);
    expect(value(pushed, 'firedrill_last_run_kill_switch_tripped', { ...group, kind: 'none' })).toBe(0);
    expect(value(pushed, 'push_time_seconds', group)).toBeGreaterThan(0);
  });

  it('reports a Pushgateway that is not there without changing the verdict', async () => {
    const port = await freePort();
    const file = join(out.dir, 'metrics-drill.yaml');
    const child = startCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json', '--pushgateway', `http://127.0.0.1:${port}`], {
      timeoutMs: 60_000,
    });
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toMatch(/warning: could not push the result to http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
