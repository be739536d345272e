/**
 * The guards around a run: one drill per target at a time, the emergency stop, `firedrill abort`,
 * and the facilitator's control endpoint (wrong token: 401, nothing changes).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';

const drill = 'test/fixtures/drills/pause-external.yaml';
const out = tempDir('firedrill-guards-');
afterAll(() => out.cleanup());

let target: HttpTarget | undefined;
const states: { cleanup: () => void }[] = [];
afterEach(async () => {
  await target?.stop();
  target = undefined;
  for (const s of states.splice(0)) s.cleanup();
});

function setup(extra: Record<string, string> = {}) {
  const state = tempDir('firedrill-guards-state-');
  states.push(state);
  const env = { TARGET_PID: String(target!.pid), TARGET_PORT: String(target!.port), PROBE_TOKEN: 'guard-token', FIREDRILL_STATE_DIR: state.dir, ...extra };
  return { state: state.dir, env };
}

function journalOf(stderr: string): Journal {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  return asJournal(JSON.parse(readFileSync(m![1]!, 'utf8')));
}

describe('safety guards', () => {
  it('refuses a second drill on a target that is already under a drill', async () => {
    target = await startHttpTarget();
    const { env } = setup({ FAULT_DURATION: '10s' });
    const first = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env });
    const output = watchStderr(first);
    await output.until(/"msg":"injected /);
    const second = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env });
    expect(second.exitCode, second.stderr).toBe(4);
    expect(second.stderr).toMatch(/already under drill "pause-external"/);
    first.kill('SIGINT');
    await first;
    expect(target.state()).not.toBe('T');
  });

  it('firedrill abort makes the running drill revert at once (exit 3)', async () => {
    target = await startHttpTarget();
    const { env } = setup({ FAULT_DURATION: '30s' });
    const run = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env });
    const output = watchStderr(run);
    await output.until(/"msg":"injected /);
    const abort = await runCli(['abort'], { env });
    expect(abort.exitCode, abort.stderr).toBe(0);
    expect(abort.stdout).toMatch(/abort sent to run \S+ \(pause-external/);
    const r = await run;
    expect(r.exitCode).toBe(3);
    expect(journalOf(String(r.stderr)).killSwitch.kind).toBe('stop-file');
    expect(target.state()).not.toBe('T');
  });

  it('a held emergency stop keeps new drills from starting until it is released', async () => {
    target = await startHttpTarget();
    const { env, state } = setup();
    expect((await runCli(['abort', '--all', '--hold'], { env })).exitCode).toBe(0);
    expect(existsSync(join(state, 'STOP'))).toBe(true);
    const refused = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env });
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toMatch(/emergency stop is engaged/);
    expect((await runCli(['abort', '--release'], { env })).exitCode).toBe(0);
    expect(existsSync(join(state, 'STOP'))).toBe(false);
  });

  it('the control endpoint ignores a wrong token and aborts with the right one', async () => {
    target = await startHttpTarget();
    const { env } = setup({ FAULT_DURATION: '30s' });
    const run = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json', '--control-port', '0'], { env });
    const output = watchStderr(run);
    const [, port, token] = await output.until(/control endpoint: http:\/\/127\.0\.0\.1:(\d+)\s+\(Authorization: Bearer (\S+)\)/);
    await output.until(/"msg":"injected /);
    const url = `http://127.0.0.1:${port}`;
    const wrong = await fetch(`${url}/abort`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const missing = await fetch(`${url}/abort`, { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(target.state()).toBe('T');
    const status = await fetch(`${url}/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(await status.json()).toMatchObject({ phase: 'fault', faultsActive: [expect.stringContaining('SIGSTOP')] });
    const ok = await fetch(`${url}/abort`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(202);
    const r = await run;
    expect(r.exitCode).toBe(3);
    expect(target.state()).not.toBe('T');
    const journal = journalOf(String(r.stderr));
    expect(journal.killSwitch.kind).toBe('operator');
    expect(JSON.stringify(journal)).not.toContain(token!);
  });

  it('warns at start when an earlier run left faults behind for recover', async () => {
    target = await startHttpTarget();
    const { env, state } = setup();
    // a ledger of a run whose runner is long gone, with an open (harmless) entry
    const dir = join(state, 'runs', 'old-run');
    await import('node:fs').then((fs) => fs.mkdirSync(dir, { recursive: true }));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ runId: 'old-run', drill: 'old-drill', file: 'x', runner: { pid: 999999, startTime: '1' }, startedAt: new Date().toISOString(), deadline: new Date(Date.now() + 60_000).toISOString(), targets: [] }));
    writeFileSync(join(dir, 'ledger.jsonl'), `${JSON.stringify({ op: 'intent', id: 'x', label: 'nothing really', recipe: { kind: 'none', why: 'test' }, at: new Date().toISOString() })}\n`);
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env });
    expect(r.stderr).toMatch(/run old-run \(old-drill\) left 1 fault\(s\) behind.*firedrill recover/);
    const recover = await runCli(['recover'], { env });
    expect(recover.stdout).toMatch(/run old-run \(old-drill\): its runner \(pid 999999\) is gone/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('production', () => {
  const prodDrill = 'test/fixtures/drills/pause-production.yaml';

  it('needs --allow-production (exit 4) and a typed confirmation (exit 4) before anything runs', async () => {
    target = await startHttpTarget();
    const { env } = setup();
    const noAllow = await runCli(['run', prodDrill, '--env', 'production', '--yes', '--report-dir', out.dir], { env });
    expect(noAllow.exitCode, noAllow.stderr).toBe(4);
    expect(noAllow.stderr).toMatch(/pass --allow-production/);
    const noTyped = await runCli(['run', prodDrill, '--env', 'production', '--yes', '--allow-production', '--report-dir', out.dir], { env });
    expect(noTyped.exitCode, noTyped.stderr).toBe(4);
    expect(noTyped.stderr).toMatch(/--confirm-production production/);
    // without a terminal and without --yes: still the production refusal (exit 4), not a usage error
    const noTerminal = await runCli(['run', prodDrill, '--env', 'production', '--allow-production', '--report-dir', out.dir], { env });
    expect(noTerminal.exitCode, noTerminal.stderr).toBe(4);
    expect(noTerminal.stderr).toMatch(/--confirm-production production/);
    expect(target.state()).not.toBe('T');
  });

  it.each(['prod-eu', 'live1'])('treats the environment %s as production (exit 4 without --allow-production)', async (name) => {
    target = await startHttpTarget();
    const { env } = setup();
    const r = await runCli(['run', prodDrill, '--env', name, '--yes', '--report-dir', out.dir], { env: { ...env, EXTRA_ENV: name } });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toContain(`"${name}" is production: pass --allow-production`);
    expect(target.state()).not.toBe('T');
  });

  it('runs with --allow-production and the environment name typed', async () => {
    target = await startHttpTarget();
    const { env } = setup();
    const r = await runCli(['run', prodDrill, '--env', 'production', '--yes', '--allow-production', '--confirm-production', 'production', '--report-dir', out.dir], { env });
    expect(journalOf(r.stderr).faults[0]?.status).toBe('reverted');
    expect(target.state()).not.toBe('T');
  });
});

describe('the report directory', () => {
  it('is checked before anything is injected: a file in its path is refused with exit 4', async () => {
    target = await startHttpTarget();
    const { env, state } = setup();
    const blocker = join(out.dir, 'not-a-dir');
    writeFileSync(blocker, 'a file where a folder should be\n');
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', join(blocker, 'reports')], { env });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/cannot write the report to .+ \(a file is in the way\).+nothing was injected/);
    expect(r.stderr).not.toMatch(/"msg":"injected /);
    expect(existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs')) : []).toEqual([]);
    expect(target.state()).not.toBe('T');
  });

  it('is checked before anything is injected: a read-only directory is refused with exit 4', async () => {
    target = await startHttpTarget();
    const { env } = setup();
    const ro = join(out.dir, 'read-only');
    mkdirSync(ro);
    // root writes through mode bits: a read-only mount is the real thing; anyone else gets mode 0555
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]);
    else chmodSync(ro, 0o555);
    try {
      const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', ro], { env });
      expect(r.exitCode, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/cannot write the report to .+(read-only file system|permission denied).+nothing was injected/);
      expect(target.state()).not.toBe('T');
    } finally {
      if (asRoot) execFileSync('umount', [ro]);
      else chmodSync(ro, 0o755);
    }
  });
});

describe('an injection that fails', () => {
  it('ends as an injection failure with exit 6 and its own wording, not as a kill-switch abort', async () => {
    target = await startHttpTarget();
    const { env } = setup();
    const file = join(out.dir, 'inject-fails.yaml');
    writeFileSync(file, `apiVersion: firedrill/v1
name: inject-fails
hypothesis: the fault goes in
environments: [test]
targets:
  app:
    start: { command: [sleep, "30"] }
blastRadius: { target: app, maxDuration: 1m }
faults:
  - { id: broken, type: command, target: app, duration: 2s, inject: "echo 'disk is full' >&2; exit 3", revert: "true" }
probes:
  ok:
    command: { run: ["true"] }
    interval: 200ms
# preflight: long enough for a command probe's first spawn on a loaded machine (300 ms was not: the
# run was refused before the injection, 2 of ~14 runs next to other suites)
phases: { preflight: 1500ms, baseline: 300ms, recovery: 300ms }
`);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir], { env });
    expect(r.exitCode, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/INJECT-FAILED \(exit 6\): injection failed, the hypothesis was not tested: could not inject .*disk is full/);
    const report = readFileSync(/report: +(\S+report\.md)/.exec(r.stderr)![1]!, 'utf8');
    expect(report).toContain('INJECTION FAILED');
    expect(report).not.toMatch(/aborted by the kill switch/);
  });
});
