import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { RUN_REPORTS } from '../../src/reporters/formats.js';
import { runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';

const drill = 'test/fixtures/drills/pause-external.yaml';
const SECRET = 'sup3r-s3cret-t0ken-value';
const out = tempDir('firedrill-safety-');
afterAll(() => out.cleanup());

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

function env(t: HttpTarget, extra: Record<string, string> = {}): Record<string, string> {
  return { TARGET_PID: String(t.pid), TARGET_PORT: String(t.port), PROBE_TOKEN: SECRET, ...extra };
}

function journalFrom(stderr: string): Journal<Sample[]> {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

describe('running a drill against a process the runner did not start', () => {
  it('pauses it during the fault window and resumes it afterwards', async () => {
    target = await startHttpTarget();
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env: env(target) });
    const journal = journalFrom(r.stderr);
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', instance: { pid: target.pid } });
    expect(journal.samples.some((s) => s.phase === 'fault' && !s.ok)).toBe(true);
    expect(target.state()).not.toBe('T');
    // the hypothesis (>= 90 % during a 2 s pause) cannot hold
    expect(r.exitCode, r.stderr).toBe(1);
  });

  it('never writes a secret into logs, the journal or the report', async () => {
    target = await startHttpTarget();
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env: env(target) });
    const m = /journal: (.+journal\.json)/.exec(r.stderr);
    const dir = join(m![1]!, '..');
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    for (const text of [r.stdout, r.stderr, ...files]) expect(text).not.toContain(SECRET);
    expect(files.join('')).toContain('***');
  });

  it('trips the kill switch on consecutive failures and resumes the process at once (exit 3)', async () => {
    target = await startHttpTarget();
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env: env(target, { KILL_AFTER: '2', FAULT_DURATION: '30s' }) });
    expect(r.exitCode, r.stderr).toBe(3);
    const journal = journalFrom(r.stderr);
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe' });
    expect(journal.killSwitch.reactionMs).toBeLessThan(5000);
    expect(journal.faults[0]?.status).toBe('reverted');
    expect(target.state()).not.toBe('T');
  });

  it('reverts on Ctrl-C (SIGINT) in the middle of the fault and exits 3', async () => {
    target = await startHttpTarget();
    const child = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env: env(target, { FAULT_DURATION: '30s' }) });
    await watchStderr(child).until(/"msg":"injected /);
    expect(target.state()).toBe('T');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(3);
    expect(target.state()).not.toBe('T');
    const journal = journalFrom(String(r.stderr));
    expect(journal.killSwitch.kind).toBe('operator');
    expect(journal.faults[0]?.status).toBe('reverted');
  });

  it('does not skip the revert on a second Ctrl-C, and says it is reverting', async () => {
    target = await startHttpTarget();
    const child = startCli(['run', 'test/fixtures/drills/slow-revert.yaml', '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env: env(target) });
    await watchStderr(child).until(/"msg":"injected /, { count: 2 });
    child.kill('SIGINT');
    // the slow command undo runs first (newest first) and takes 1.5 s: press Ctrl-C again in the middle
    await new Promise((r) => setTimeout(r, 400));
    expect(target.state()).toBe('T');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(3);
    expect(String(r.stderr)).toContain('still reverting');
    expect(journalFrom(String(r.stderr)).faults.map((f) => f.status)).toEqual(['reverted', 'reverted']);
    expect(target.state()).not.toBe('T');
  });

  it('exits 3 and writes every report when Ctrl-C comes again after the revert finished', async () => {
    target = await startHttpTarget();
    const child = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env: env(target, { FAULT_DURATION: '30s' }) });
    const output = watchStderr(child);
    await output.until(/"msg":"injected /);
    child.kill('SIGINT');
    await output.until(/"msg":"reverted /);
    // Ctrl-C again and again while the runner stops its probes, closes its ledger and writes the reports
    let exited = false;
    void child.finally(() => (exited = true));
    for (let i = 0; i < 400 && !exited; i++) {
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await child;
    expect(r.signal, r.stderr).toBeUndefined();
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/SIGINT again: the revert is over; writing the reports/);
    const journal = journalFrom(r.stderr);
    expect(journal.outcome.verdict).toBe('aborted');
    const dir = join(/journal: (.+journal\.json)/.exec(r.stderr)![1]!, '..');
    for (const { file } of RUN_REPORTS) expect(readFileSync(join(dir, file), 'utf8').length, file).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'metrics.prom'), 'utf8')).toContain('firedrill_');
    expect(target.state()).not.toBe('T');
  });

  it('keeps --var secrets out of the process title while it runs', async () => {
    target = await startHttpTarget();
    const { PROBE_TOKEN: _unused, ...rest } = env(target, { FAULT_DURATION: '30s' });
    const child = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json', '--var', `PROBE_TOKEN=${SECRET}`], { env: rest });
    const output = watchStderr(child);
    await output.until(/"msg":"injected /);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    child.kill('SIGINT');
    await child;
    expect(cmdline).toContain('firedrill run pause-external');
    expect(cmdline).not.toContain(SECRET);
    expect(output.text()).not.toContain(SECRET);
  });

  it('stops and reverts when the run\'s stop file appears', async () => {
    target = await startHttpTarget();
    const stopFile = join(out.dir, 'stop-now');
    const child = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--stop-file', stopFile, '--log-format', 'json'], { env: env(target, { FAULT_DURATION: '30s' }) });
    await watchStderr(child).until(/"msg":"injected /);
    writeFileSync(stopFile, '');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(3);
    expect(journalFrom(String(r.stderr)).killSwitch.kind).toBe('stop-file');
    expect(target.state()).not.toBe('T');
  });

  it('refuses when steady state does not hold, and injects nothing (exit 4)', async () => {
    target = await startHttpTarget();
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env: { ...env(target), TARGET_PORT: '1' } });
    expect(r.exitCode, r.stderr).toBe(4);
    const journal = journalFrom(r.stderr);
    expect(journal.outcome.reason).toMatch(/steady state does not hold/);
    expect(journal.faults).toEqual([]);
    expect(target.state()).not.toBe('T');
  });

  it('refuses when the target is gone (exit 4)', async () => {
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env: { TARGET_PID: '999999', TARGET_PORT: '1', PROBE_TOKEN: 'unused-token' } });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/resolves to nothing/);
  });
});
