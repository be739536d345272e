/**
 * The dead-man switch's start-up for real on this machine, where PID 1 is not systemd: asked for a
 * systemd scope, `systemd-run` cannot make one, so it falls back to the runner's cgroup and says so;
 * the plan says the same. Then the switch's own copy of an undo recipe is put to work: the ledger is
 * deleted, the runner stops beating, and the switch resumes the process it was told about.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeEntry } from '../../src/node-entry.js';
import { Ledger } from '../../src/safety/ledger.js';
import { systemdPresent } from '../../src/safety/watchdog/launch.js';
import { WatchdogLink } from '../../src/safety/watchdog/link.js';
import { readProcStat } from '../../src/targets/process/proc.js';
import { repoRoot, runCli, tempDir } from '../support/cli.js';
import { startHttpTarget } from '../support/http-target.js';
import { procState } from '../support/proc.js';

const state = tempDir('firedrill-isolation-');
afterAll(() => state.cleanup());

describe.skipIf(systemdPresent())('the dead-man switch where PID 1 is not systemd', () => {
  it('falls back to the runner\'s cgroup when a systemd scope cannot be made, and still reverts from its own copy when the runner stops beating', async () => {
    const victim = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(victim, 'spawn');
      const pid = victim.pid!;
      const stat = await readProcStat(pid);
      const ledger = new Ledger(state.dir, { runId: 'iso-1', drill: 'iso', file: 'x', runner: { pid: process.pid, startTime: (await readProcStat(process.pid))!.startTime }, startedAt: new Date().toISOString(), deadline: new Date(Date.now() + 60_000).toISOString(), targets: [] });
      const entry = nodeEntry(new URL('dist/cli/', `file://${repoRoot}`), 'watchdog-main');
      const { link, fallback } = await WatchdogLink.start({ entry, args: [ledger.dir, '3000'], runId: 'iso-1', systemd: true });
      expect(fallback).toMatch(/could not start the dead-man switch in a systemd scope/);
      expect(link.isolation).toBe('same-cgroup');
      expect(procState(link.pid)).not.toBe('gone');
      process.kill(pid, 'SIGSTOP');
      const recipe = { kind: 'signal' as const, pid, startTime: stat!.startTime, signal: 'SIGCONT' as const };
      ledger.intent('f', `SIGSTOP sleep ${pid}`, recipe);
      await link.hand({ type: 'intent', id: 'f', label: `SIGSTOP sleep ${pid}`, recipe, at: new Date().toISOString() });
      // the ledger is deleted: only the switch's memory knows the recipe now
      rmSync(join(ledger.dir, 'ledger.jsonl'));
      expect(procState(pid)).toBe('T');
      // the run "ends" with the entry still open and the runner stops beating: after 3 s the switch acts
      link.end(false);
      const deadline = Date.now() + 8000;
      while (procState(pid) === 'T' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(procState(pid)).not.toBe('T');
      const report = join(ledger.dir, 'watchdog.json');
      while (!existsSync(report) && Date.now() < deadline + 3000) await new Promise((r) => setTimeout(r, 20));
      const wd = JSON.parse(readFileSync(report, 'utf8')) as { actions: { ok: boolean }[]; damage: unknown[] };
      expect(wd.actions).toEqual([expect.objectContaining({ ok: true })]);
      expect(wd.damage.length).toBeGreaterThan(0);
    } finally {
      victim.kill('SIGKILL');
    }
  });

  it('says in the plan that the dead-man switch shares the runner\'s cgroup here', async () => {
    const target = await startHttpTarget();
    try {
      const r = await runCli(['plan', 'test/fixtures/drills/pause-external.yaml', '--env', 'test'], { env: { TARGET_PID: String(target.pid), TARGET_PORT: String(target.port), PROBE_TOKEN: 'unused-token', FIREDRILL_STATE_DIR: state.dir } });
      expect(r.stdout).toMatch(/dead-man switch: in the runner's cgroup \(no systemd here\).*firedrill recover/);
    } finally {
      await target.stop();
    }
  });
});
