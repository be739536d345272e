import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, type RunRecord } from './ledger.js';
import { selfIdentity } from './process-identity.js';
import { damagedDir, recoverRun } from './recover.js';
import { runWatchdog } from './watchdog/watchdog.js';
import { Memory } from './watchdog/memory.js';

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fd-recover-'));
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

// pid 1 with a start time it never had: a runner that is gone
const record: RunRecord = { runId: 'r1', drill: 'd', file: 'f.yaml', runner: { pid: 1, startTime: '1' }, startedAt: new Date().toISOString(), deadline: new Date(Date.now() + 60_000).toISOString(), targets: [] };

function abandoned(): string {
  const ledger = new Ledger(state, record);
  ledger.intent('a', 'pause a', { kind: 'none', why: 'a' });
  ledger.intent('b', 'pause b', { kind: 'none', why: 'b' });
  return ledger.dir;
}

const options = { dryRun: false, by: 'firedrill recover', reason: 'its runner is gone' };

describe('recovering one run from two places at once', () => {
  it('two recoverers: one reverts and clears, the other finds the run recovered (no damage, nothing thrown)', async () => {
    const dir = abandoned();
    const [a, b] = await Promise.all([recoverRun(dir, options), recoverRun(dir, { ...options, by: 'second recover' })]);
    const reports = [a, b];
    expect(reports.flatMap((r) => r.damage)).toEqual([]);
    // every entry reverted exactly once over both
    expect(reports.flatMap((r) => r.actions.map((x) => x.id)).sort()).toEqual(['a', 'b']);
    expect(reports.every((r) => r.cleared)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(damagedDir(state))).toBe(false);
  });

  it('recover of a run whose dead-man switch is reverting it waits for the switch, then reports the run recovered (not damaged)', async () => {
    const dir = abandoned();
    const memory = new Memory();
    // the runner is alive at first (this process): the switch watches and holds the run
    memory.record = { ...record, runner: await selfIdentity() };
    for (const [n, id] of ['a', 'b'].entries()) memory.apply({ type: 'intent', id, label: `pause ${id}`, recipe: { kind: 'none', why: id }, at: new Date().toISOString(), n });
    const watchdog = runWatchdog({ dir, staleMs: 60_000, memory, disconnected: () => false, meta: { hostname: '', toolVersion: '' } });
    for (let i = 0; i < 200 && !existsSync(join(state, 'recovering', 'r1.json')); i++) await new Promise((r) => setTimeout(r, 5));
    const waitedFor: string[] = [];
    const recovering = recoverRun(dir, { ...options, onWait: (h) => waitedFor.push(h?.by ?? '?') });
    await new Promise((r) => setTimeout(r, 150));
    // told once, naming who holds the run, while it waits
    expect(waitedFor).toEqual(['dead-man switch']);
    // the runner dies: the switch reverts while recover waits
    memory.record = record;
    const report = await recovering;
    expect(await watchdog).toBe(0);
    expect(report).toMatchObject({ actions: [], damage: [], cleared: true, reason: expect.stringMatching(/recovered meanwhile by dead-man switch \(pid \d+\)/) });
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(damagedDir(state))).toBe(false);
    // nothing of the recovery coordination is left behind
    expect(existsSync(join(state, 'recovering'))).toBe(false);
  });

  it('a recovery lock left by a recoverer that died is taken over', async () => {
    const dir = abandoned();
    mkdirSync(join(state, 'recovering'));
    writeFileSync(join(state, 'recovering', 'r1.json'), JSON.stringify({ runId: 'r1', by: 'firedrill recover', at: new Date().toISOString(), owner: { pid: 1, startTime: '1' }, nonce: 'x' }));
    const report = await recoverRun(dir, options);
    expect(report).toMatchObject({ cleared: true, damage: [] });
    expect(report.actions.map((a) => a.id).sort()).toEqual(['a', 'b']);
    expect(existsSync(join(state, 'recovering'))).toBe(false);
  });
});
