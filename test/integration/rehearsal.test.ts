/**
 * Rehearsals inject nothing: `run --rehearse` and `gameday --rehearse` against the example shop,
 * with drills that would SIGSTOP its backend. While they run, the test reads the backend's state
 * from /proc every few ms (it must never be stopped) and every fault ledger the runs write (it
 * must never hold an intent). A dependency the test turns bad while the drill watches shows that
 * the kill switch and the expectations only record what they would have decided.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLoopback, type TestServer } from '../support/loopback-server.js';
import { repoRoot, startCli, tempDir, watchStderr } from '../support/cli.js';
import { startShop, type Shop } from '../support/shop.js';
import { procState } from '../support/proc.js';

const work = tempDir('firedrill-rehearsal-');
const stateDir = join(work.dir, 'state');
const reportDir = join(work.dir, 'reports');
let shop: Shop | undefined;
let dependency: TestServer | undefined;
/** the dependency answers 500 once the test says so */
let dependencyBroken = false;

beforeAll(async () => {
  dependency = await serveOnLoopback((_req, res) => {
    res.statusCode = dependencyBroken ? 500 : 200;
    res.end(dependencyBroken ? 'down' : 'ok');
  });
  shop = await startShop();
}, 30_000);
afterAll(async () => {
  await shop?.stop();
  await dependency?.close();
  work.cleanup();
});

/** Watches a process's /proc state and every ledger under the state dir until `stop()`. */
function watchNothingInjected(pid: number) {
  const states = new Map<string, number>();
  const ledgers = new Map<string, Set<string>>();
  const look = (): void => {
    const s = procState(pid);
    states.set(s, (states.get(s) ?? 0) + 1);
    const runs = join(stateDir, 'runs');
    if (!existsSync(runs)) return;
    for (const id of readdirSync(runs)) {
      let text = '';
      try {
        text = readFileSync(join(runs, id, 'ledger.jsonl'), 'utf8');
      } catch {
        continue;
      }
      const ops = ledgers.get(id) ?? new Set<string>();
      for (const line of text.split('\n').filter(Boolean)) {
        try {
          ops.add(String((JSON.parse(line) as { op?: unknown }).op));
        } catch {
          ops.add('(torn line)');
        }
      }
      ledgers.set(id, ops);
    }
  };
  const timer = setInterval(look, 15);
  return {
    states,
    ledgers,
    stop: () => {
      clearInterval(timer);
      look();
    },
  };
}

const vars = () => ['--var', `API_URL=${shop?.apiUrl}`, '--var', `BACKEND_PORT=${new URL(shop?.backendUrl ?? '').port}`, '--var', `DEP_URL=${dependency?.url}`];
const env = () => ({ FIREDRILL_STATE_DIR: stateDir });

describe('rehearsal injects nothing', () => {
  it('the /proc watch sees a stopped process (so its silence below means something)', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      process.kill(pid, 'SIGSTOP');
      const watch = watchNothingInjected(pid);
      await new Promise((r) => setTimeout(r, 60));
      watch.stop();
      expect([...watch.states.keys()]).toContain('T');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('run --rehearse: the backend is never stopped, the ledger holds no fault, and the report says what the kill switch and expectations would have decided', async () => {
    dependencyBroken = false;
    const backendPid = shop?.backendPid as number;
    const watch = watchNothingInjected(backendPid);
    // no --yes and no terminal: a rehearsal has nothing to confirm
    const run = startCli(['run', '--rehearse', '--env', 'test', join(repoRoot, 'test/fixtures/rehearsal/freeze-with-alert.yaml'), '--report-dir', reportDir, ...vars()], { env: env(), timeoutMs: 60_000 });
    const err = watchStderr(run);
    try {
      await err.until(/rehearsal: not injected: process-pause on backend for 2s/);
      dependencyBroken = true;
      const done = await run;
      expect(done.exitCode, err.text().slice(-3000)).toBe(1);
    } finally {
      watch.stop();
      dependencyBroken = false;
    }
    expect([...watch.states.keys()].filter((s) => s === 'T' || s === 't'), JSON.stringify([...watch.states])).toEqual([]);
    expect(watch.states.get('gone')).toBeUndefined();
    expect(watch.ledgers.size, 'the test saw the run\'s ledger').toBeGreaterThan(0);
    for (const ops of watch.ledgers.values()) expect([...ops].filter((op) => op !== 'header' && op !== 'closed')).toEqual([]);
    expect(existsSync(join(stateDir, 'runs')) ? readdirSync(join(stateDir, 'runs')) : []).toEqual([]);

    const dir = join(reportDir, 'rehearsals', 'freeze-with-alert', 'latest');
    const journal = JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8')) as {
      faults: unknown[];
      killSwitch: { tripped: boolean };
      rehearsal: { notInjected: string[]; killSwitch?: { condition: string; t: number } };
      phases: Array<{ name: string; plannedMs: number; startT: number; endT: number }>;
      expectations: Array<{ probe: string; ok: boolean }>;
      outcome: { verdict: string; reason: string };
    };
    expect(journal.faults).toEqual([]);
    expect(journal.killSwitch.tripped).toBe(false);
    expect(journal.rehearsal.notInjected).toEqual(['process-pause on backend for 2s']);
    expect(journal.rehearsal.killSwitch?.condition).toMatch(/dependency: 2 consecutive failures/);
    // it watched the whole planned timeline, not stopping where the kill switch would have
    const fault = journal.phases.find((p) => p.name === 'fault');
    expect(fault && fault.endT - fault.startT).toBeGreaterThanOrEqual(1_900);
    expect(journal.phases.map((p) => p.name)).toContain('recovery');
    expect(Object.fromEntries(journal.expectations.map((e) => [e.probe, e.ok]))).toEqual({ products: true, dependency: false });
    expect(journal.outcome.verdict).toBe('failed');
    expect(journal.outcome.reason).toMatch(/nothing was injected, yet .*the kill switch would have tripped .*1 of 2 expectations would have missed/);

    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Verdict: REHEARSAL FAILED**');
    expect(md).toContain('REHEARSAL — nothing was injected** (process-pause on backend for 2s)');
    expect(md).toMatch(/\| Kill switch \| would have tripped at \+[\d.]+m?s: dependency: 2 consecutive failures \(rehearsal: not acted on\) \|/);
    expect(md).toMatch(/It would have tripped at \+[\d.]+m?s on dependency: 2 consecutive failures/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('REHEARSAL FAILED');
    expect(html).toContain('would have tripped at');
  }, 90_000);

  it('gameday --rehearse: no step injects, the day kill switch only records, and the day report says so', async () => {
    dependencyBroken = false;
    const backendPid = shop?.backendPid as number;
    const watch = watchNothingInjected(backendPid);
    const day = startCli(['gameday', '--rehearse', join(repoRoot, 'test/fixtures/gameday/rehearsal-day.yaml'), '--report-dir', reportDir, ...vars()], { env: env(), timeoutMs: 60_000 });
    const err = watchStderr(day);
    try {
      await err.until(/rehearsal: not injected: process-pause on backend/);
      dependencyBroken = true;
      await err.until(/the day kill switch would have tripped/);
      dependencyBroken = false;
      const done = await day;
      expect(done.exitCode, err.text().slice(-3000)).toBe(1);
    } finally {
      watch.stop();
      dependencyBroken = false;
    }
    expect([...watch.states.keys()].filter((s) => s === 'T' || s === 't'), JSON.stringify([...watch.states])).toEqual([]);
    expect(watch.ledgers.size).toBeGreaterThanOrEqual(1);
    for (const ops of watch.ledgers.values()) expect([...ops].filter((op) => op !== 'header' && op !== 'closed')).toEqual([]);

    const root = join(reportDir, 'gamedays', 'rehearsal-day');
    const dayDir = join(root, readdirSync(root)[0] as string);
    const record = JSON.parse(readFileSync(join(dayDir, 'day.json'), 'utf8')) as {
      rehearsal: boolean;
      steps: Array<{ status: string; runDir: string }>;
      killSwitch: { tripped: boolean; wouldHaveTripped?: { step?: number; condition: string } };
      outcome: { verdict: string; reason: string };
    };
    expect(record.rehearsal).toBe(true);
    // both steps ran to their end: the day went on past the moment its kill switch would have stopped it
    expect(record.steps.map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(record.killSwitch.tripped).toBe(false);
    expect(record.killSwitch.wouldHaveTripped).toMatchObject({ step: 0, condition: expect.stringMatching(/dependency: 2 consecutive failures/) });
    expect(record.outcome.verdict).toBe('failed');
    expect(record.outcome.reason).toMatch(/^rehearsal: the day kill switch would have stopped the day during step 1/);
    for (const s of record.steps) {
      const j = JSON.parse(readFileSync(join(dayDir, s.runDir, 'journal.json'), 'utf8')) as { faults: unknown[]; rehearsal?: { notInjected: string[] } };
      expect(j.faults).toEqual([]);
      expect(j.rehearsal?.notInjected).toEqual(['process-pause on backend for 1.5s']);
    }
    const md = readFileSync(join(dayDir, 'day.md'), 'utf8');
    expect(md).toContain('REHEARSAL — nothing was injected.');
    expect(md).toMatch(/Kill switch: would have tripped at .* \(step 1\): dependency: 2 consecutive failures/);
    // the process never stopped, so nothing needed a SIGCONT either
    expect(execFileSync('ps', ['-o', 'stat=', '-p', String(backendPid)], { encoding: 'utf8' }).trim()).not.toMatch(/T/);
  }, 90_000);
});
