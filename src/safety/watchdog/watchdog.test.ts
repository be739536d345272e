import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, type RunRecord } from '../ledger.js';
import { selfIdentity } from '../process-identity.js';
import { Memory } from './memory.js';
import { runWatchdog } from './watchdog.js';

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fd-watchdog-'));
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

describe('dead-man switch', () => {
  it('reverts as soon as the runner closes its channel without ending the run, without waiting for its next poll', async () => {
    const record: RunRecord = { runId: 'r1', drill: 'd', file: 'f.yaml', runner: await selfIdentity(), startedAt: new Date().toISOString(), deadline: new Date(Date.now() + 60_000).toISOString(), targets: [] };
    const ledger = new Ledger(state, record);
    ledger.intent('a', 'pause a', { kind: 'none', why: 'a' });
    const memory = new Memory();
    memory.record = record;
    memory.apply({ type: 'intent', id: 'a', label: 'pause a', recipe: { kind: 'none', why: 'a' }, at: new Date().toISOString(), n: 0 });
    let disconnected = false;
    let listener: (() => void) | undefined;
    // an hour between polls: only the channel's event can wake the watch within the test's time
    const watchdog = runWatchdog({ dir: ledger.dir, staleMs: 3_600_000, pollMs: 3_600_000, memory, disconnected: () => disconnected, onDisconnect: (l) => (listener = l), meta: { hostname: '', toolVersion: '' } });
    for (let i = 0; i < 200 && listener === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(ledger.dir)).toBe(true);
    disconnected = true;
    listener?.();
    expect(await watchdog).toBe(0);
    // reverted and cleared
    expect(existsSync(ledger.dir)).toBe(false);
  }, 10_000);
});
