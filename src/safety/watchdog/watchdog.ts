/**
 * The dead-man switch: a small process started with each drill, in its own session (and, where
 * systemd runs the host, its own scope) so terminal signals and a stop of the runner's cgroup do
 * not reach it. The runner hands it every undo recipe before applying a fault, so it holds its own
 * copy in memory. When the runner dies (its IPC channel breaks, or its pid is gone), hangs (no
 * heartbeat) or overruns its deadline, it reverts every entry that is open in its memory or in
 * the readable ledger, then exits. A damaged ledger is left as it is (evidence); the switch writes
 * what it did next to it, and `firedrill recover` reports the damage.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Journal } from '../../journal/types.js';
import type { LedgerBody, LedgerLine, RunRecord } from '../ledger.js';
import { appendAfter, readLedger, type OpenEntry } from '../ledger-read.js';
import { isAlive } from '../process-identity.js';
import { JOURNAL_CHECKPOINT, revertEntries, WATCHDOG_REPORT, writeCrash, type CrashWriter, type WatchdogReport } from '../recover.js';
import { listLocks, releaseLocks } from '../target-lock.js';
import type { FromWatchdog, ToWatchdog } from './messages.js';

const POLL_MS = 100;
const BY = 'dead-man switch';

/** The switch's own copy of the run: every record the runner handed over, in order. */
class Memory {
  record: RunRecord | undefined;
  journal: Journal | undefined;
  readonly lines: LedgerLine[] = [];
  readonly open = new Map<string, OpenEntry>();
  readonly done = new Set<string>();
  lastBeat = Date.now();
  ended: boolean | undefined;

  apply(m: ToWatchdog): void {
    this.lastBeat = Date.now();
    const line = (body: LedgerBody) => this.lines.push({ ...body, seq: this.lines.length, prev: '' });
    switch (m.type) {
      case 'record':
        this.record = m.record;
        break;
      case 'journal':
        this.journal = m.journal as Journal;
        break;
      case 'intent':
        this.open.set(m.id, { id: m.id, label: m.label, recipe: m.recipe, at: m.at, failures: [] });
        this.done.delete(m.id);
        line({ op: 'intent', id: m.id, label: m.label, recipe: m.recipe, at: m.at });
        break;
      case 'update': {
        const e = this.open.get(m.id);
        if (e) e.recipe = m.recipe;
        line({ op: 'update', id: m.id, recipe: m.recipe, at: m.at });
        break;
      }
      case 'done':
        this.open.delete(m.id);
        this.done.add(m.id);
        line({ op: 'done', id: m.id, at: m.at, by: 'runner' });
        break;
      case 'failed':
        this.open.get(m.id)?.failures.push(m.error);
        line({ op: 'failed', id: m.id, error: m.error, at: m.at, by: 'runner' });
        break;
      case 'end':
        this.ended = m.cleared;
        break;
      case 'beat':
        break;
    }
  }
}

function heartbeatAge(dir: string, memory: Memory): number {
  let file = Infinity;
  try {
    file = Date.now() - statSync(join(dir, 'heartbeat')).mtimeMs;
  } catch {
    // a deleted run folder takes the heartbeat file along; the channel's beats still count
  }
  return Math.min(file, Date.now() - memory.lastBeat);
}

export interface WatchdogOptions {
  dir: string;
  staleMs: number;
  writeCrash?: CrashWriter;
  meta: { hostname: string; toolVersion: string };
}

/** Watches one run until it ends or is reverted; returns the process exit code. */
export async function runWatchdog(o: WatchdogOptions): Promise<number> {
  const memory = new Memory();
  let disconnected = process.send === undefined;
  process.on('message', (m: ToWatchdog) => {
    memory.apply(m);
    // the acknowledgement means: this recipe is in my memory, apply it
    if (m.type === 'intent') process.send?.({ type: 'ack', n: m.n } satisfies FromWatchdog);
  });
  process.on('disconnect', () => {
    disconnected = true;
  });
  process.send?.({ type: 'ready', pid: process.pid } satisfies FromWatchdog);
  const started = Date.now();

  for (;;) {
    if (memory.ended === true) return 0;
    const onDisk = existsSync(o.dir) ? readLedger(o.dir) : undefined;
    if (onDisk?.closed && onDisk.damage.length === 0) return 0;
    const record = memory.record ?? onDisk?.record;
    let reason: string | undefined;
    if (record) {
      const heartbeat = heartbeatAge(o.dir, memory);
      if (!(await isAlive(record.runner))) reason = `the runner (pid ${record.runner.pid}) died`;
      else if (disconnected && memory.ended === undefined && process.send !== undefined) reason = `the runner (pid ${record.runner.pid}) closed its channel without ending the run`;
      else if (heartbeat > o.staleMs) reason = `the runner stopped responding (no heartbeat for ${Math.round(heartbeat)} ms)`;
      else if (Date.now() > Date.parse(record.deadline)) reason = 'the run passed its deadline';
    } else if (Date.now() - started > 10_000) {
      reason = 'the run record never appeared';
    }
    if (reason) return await revertRun(o, memory, reason);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function revertRun(o: WatchdogOptions, memory: Memory, reason: string): Promise<number> {
  const onDisk = existsSync(o.dir) ? readLedger(o.dir) : undefined;
  const damage = onDisk ? onDisk.damage : [{ file: o.dir, what: 'the run folder is missing', mayBeLost: 'the whole fault ledger (reverted from the dead-man switch\'s own copy)' }];
  // memory first (it has every recipe the runner handed over); the ledger may know entries from before a restart
  const entries = new Map<string, OpenEntry>(memory.open);
  for (const e of onDisk?.open ?? []) if (!entries.has(e.id) && !memory.done.has(e.id)) entries.set(e.id, e);
  const at = new Date().toISOString();
  const actions = await revertEntries([...entries.values()], { dryRun: false, signal: AbortSignal.timeout(120_000) });
  const record = memory.record ?? onDisk?.record;
  const stateDir = dirname(dirname(o.dir));
  const lines = memory.lines.length > 0 ? memory.lines : (onDisk?.lines ?? []);
  const report: WatchdogReport = { by: BY, at, reason, actions, damage, ...(record ? { record } : {}) };
  const reportDir = record?.reportDir;
  const crashInput = { ...(record ? { record } : {}), ...(memory.journal ? { seed: memory.journal } : {}), lines, reverts: [{ by: BY, at, actions }], reason, damage, ...(reportDir ? { reportDir } : {}) };
  const allOk = actions.every((a) => a.ok);

  if (damage.length > 0) {
    // evidence stays as it is; what the switch did goes next to it for `recover` and a person
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(o.dir, WATCHDOG_REPORT), `${JSON.stringify(report, null, 2)}\n`);
    if (memory.journal && !existsSync(join(o.dir, JOURNAL_CHECKPOINT))) writeFileSync(join(o.dir, JOURNAL_CHECKPOINT), JSON.stringify(memory.journal));
    await writeCrash(o.writeCrash, crashInput, o.meta);
    return allOk ? 0 : 1;
  }
  for (const a of actions) appendAfter(o.dir, a.ok ? { op: 'done', id: a.id, at, by: BY } : { op: 'failed', id: a.id, at, by: BY, error: a.message });
  await writeCrash(o.writeCrash, crashInput, o.meta);
  if (allOk) {
    appendAfter(o.dir, { op: 'closed', at: new Date().toISOString(), by: BY });
    const runId = record?.runId;
    const keys = new Set(record?.targets ?? []);
    for (const lock of listLocks(stateDir)) if (runId && lock.owner?.runId === runId) keys.add(lock.key);
    releaseLocks(stateDir, [...keys]);
    rmSync(o.dir, { recursive: true, force: true });
    return 0;
  }
  writeFileSync(join(o.dir, WATCHDOG_REPORT), `${JSON.stringify(report, null, 2)}\n`);
  return 1;
}
