import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { SAMPLE_STREAM_FILE } from '../../src/journal/sample-stream.js';
import { runCli, tempDir } from '../support/cli.js';

const out = tempDir('firedrill-drills-');
afterAll(() => out.cleanup());

function lastRun(stderr: string): { journal: Journal<Sample[]>; report: string; metrics: string } {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  const journal = asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
  const report = readFileSync(join(m[1], '..', 'report.md'), 'utf8');
  const metrics = readFileSync(join(m[1], '..', 'metrics.prom'), 'utf8');
  return { journal, report, metrics };
}

function processGone(pid: number): boolean {
  return !existsSync(`/proc/${pid}`) || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

describe('the bundled example drills, run for real against the example shop', () => {
  it('shop-backend-pause: the api degrades gracefully, the backend is resumed, exit 0', async () => {
    const r = await runCli(['run', 'drills/shop-backend-pause.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir, '--seed', '1']);
    const { journal, report, metrics } = lastRun(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(journal.outcome.verdict).toBe('passed');
    expect(journal.faults).toHaveLength(1);
    expect(journal.faults[0]).toMatchObject({ type: 'process-pause', status: 'reverted' });
    expect(journal.samples.filter((s) => s.phase === 'fault').length).toBeGreaterThan(10);
    // the samples were streamed to the run folder while it ran; once in the journal, that file is gone
    const m = /journal: (.+journal\.json)/.exec(r.stderr);
    expect(existsSync(join(m![1]!, '..', SAMPLE_STREAM_FILE))).toBe(false);
    // managed targets are stopped after the drill
    for (const t of journal.targets) for (const i of t.instances) expect(processGone(i.pid)).toBe(true);
    expect(report).toMatch(/^\*\*Verdict: PASSED\*\*/m);
    for (const heading of ['What was supposed to happen?', 'What actually happened?', 'Why were there differences?', 'What do we do differently next time?', 'Safe-to-fail checklist']) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('SIGSTOP backend');
    expect(metrics).toMatch(/firedrill_run_verdict\{drill="shop-backend-pause",verdict="passed"\} 1/);
    expect(metrics).toMatch(/firedrill_faults_active\{drill="shop-backend-pause"\} 0/);
  });

  it('shop-backend-kill: checkout has no fallback, the hypothesis is violated, exit 1', async () => {
    const r = await runCli(['run', 'drills/shop-backend-kill.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir]);
    const { journal } = lastRun(r.stderr);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(journal.outcome.verdict).toBe('failed');
    const checkout = journal.expectations.find((e) => e.phase === 'fault' && e.probe === 'checkout');
    expect(checkout?.ok).toBe(false);
    expect(journal.faults[0]).toMatchObject({ type: 'process-kill', status: 'reverted' });
    expect(journal.events.some((e) => e.type === 'revert')).toBe(true);
  });

  it('shop-backend-latency: latency through the fault proxy, the api stays within its budget, exit 0', async () => {
    const r = await runCli(['run', 'drills/shop-backend-latency.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir]);
    const { journal, report } = lastRun(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(journal.faults[0]).toMatchObject({ type: 'proxy', status: 'reverted', label: expect.stringContaining('latency 200ms ±50ms') });
    // the api's backend calls went through the proxy in every phase, and the fault touched them
    const proxy = journal.proxies?.[0];
    expect(proxy?.connections.total).toBeGreaterThan(20);
    expect(proxy?.faults[0]?.connectionsAffected).toBeGreaterThan(5);
    const fault = journal.samples.filter((s) => s.probe === 'products' && s.phase === 'fault');
    const baseline = journal.samples.filter((s) => s.probe === 'products' && s.phase === 'baseline');
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    expect(median(fault.map((s) => s.latencyMs))).toBeGreaterThan(median(baseline.map((s) => s.latencyMs)) + 100);
    expect(report).toContain('### Fault proxies');
    for (const t of journal.targets) for (const i of t.instances) expect(processGone(i.pid)).toBe(true);
  });

  it('shop-checkout-stall: the kill switch trips, reverts at once, exit 3', async () => {
    const r = await runCli(['run', 'drills/shop-checkout-stall.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir]);
    const { journal } = lastRun(r.stderr);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe', condition: 'checkout: 3 consecutive failures' });
    expect(journal.killSwitch.samples).toHaveLength(3);
    expect(journal.faults[0]?.status).toBe('reverted');
    // the 20 s pause was cut short
    const f = journal.faults[0]!;
    expect((f.revertedT ?? Infinity) - (f.injectedT ?? 0)).toBeLessThan(10_000);
    expect(journal.phases.map((p) => p.name)).toContain('recovery');
  });
});
