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
import { basename, dirname, join } from 'node:path';
import { appendAfter, readLedger, type OpenEntry } from '../ledger-read.js';
import { isAlive } from '../process-identity.js';
import { evidenceOf, JOURNAL_CHECKPOINT, RECOVERY_WAIT_MS, revertEntries, WATCHDOG_REPORT, writeCrash, type CrashWriter, type WatchdogReport } from '../recover.js';
import { lockRecovery } from '../recovery-lock.js';
import { listLocks, releaseLocks } from '../target-lock.js';
import type { Memory } from './memory.js';

const POLL_MS = 100;
const BY = 'dead-man switch';

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
  memory: Memory;
  disconnected: () => boolean;
  /** calls back once when the runner's channel closes, so the watch checks at once instead of at its next poll */
  onDisconnect?: (listener: () => void) => void;
  /** how often the watch checks without an event (tests set it) */
  pollMs?: number;
  writeCrash?: CrashWriter;
  meta: { hostname: string; toolVersion: string };
}

/**
 * Watches one run until it ends or is reverted; returns the process exit code. While the switch
 * lives it is its run's recoverer: it holds the run's recovery lock, so a `firedrill recover` of the
 * abandoned run waits for it instead of reverting the same faults alongside it.
 */
export async function runWatchdog(o: WatchdogOptions): Promise<number> {
  const stateDir = dirname(dirname(o.dir));
  const runId = basename(o.dir);
  const lock = await lockRecovery(stateDir, runId, BY, { waitMs: RECOVERY_WAIT_MS });
  try {
    if (lock.waited && !existsSync(o.dir)) {
      // recovered by another before the switch got here. The ledger is written before the switch
      // is handed a recipe: a cleared run left nothing of the switch's to revert; a damaged one was
      // reverted as far as its ledger could be read, the rest is the switch's
      const kept = evidenceOf(stateDir, runId);
      if (!kept) return 0;
      for (const a of kept.actions) if (a.ok) o.memory.open.delete(a.id);
      if (o.memory.open.size === 0) return 0;
      return await revertRun(o, o.memory, `${kept.damage.length > 0 ? 'its ledger was found damaged' : 'it was recovered'} by ${lock.waitedFor?.by ?? 'another recoverer'}; the rest from the switch's own copy`);
    }
    return await watch(o);
  } finally {
    lock.release();
  }
}

async function watch(o: WatchdogOptions): Promise<number> {
  const { memory } = o;
  const started = Date.now();
  // the poll stays for what sends no event (a hung runner, a deadline, a runner without a channel)
  let wake: (() => void) | undefined;
  o.onDisconnect?.(() => wake?.());

  for (;;) {
    if (memory.ended === true) return 0;
    const onDisk = existsSync(o.dir) ? readLedger(o.dir) : undefined;
    if (onDisk?.closed && onDisk.damage.length === 0) return 0;
    const record = memory.record ?? onDisk?.record;
    let reason: string | undefined;
    if (record) {
      const heartbeat = heartbeatAge(o.dir, memory);
      if (!(await isAlive(record.runner))) reason = `the runner (pid ${record.runner.pid}) died`;
      else if (o.disconnected() && memory.ended === undefined && process.send !== undefined) reason = `the runner (pid ${record.runner.pid}) closed its channel without ending the run`;
      else if (heartbeat > o.staleMs) reason = `the runner stopped responding (no heartbeat for ${Math.round(heartbeat)} ms)`;
      else if (Date.now() > Date.parse(record.deadline)) reason = 'the run passed its deadline';
    } else if (Date.now() - started > 10_000) {
      reason = 'the run record never appeared';
    }
    if (reason) return await revertRun(o, memory, reason);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, o.pollMs ?? POLL_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
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
    if (memory.journal && !existsSync(join(o.dir, JOURNAL_CHECKPOINT))) writeFileSync(join(o.dir, JOURNAL_CHECKPOINT), JSON.stringify(memory.journal));
    // written last: once it is there, `recover` may take the folder away as evidence
    writeFileSync(join(o.dir, WATCHDOG_REPORT), `${JSON.stringify(report, null, 2)}\n`);
    await writeCrash(o.writeCrash, crashInput, o.meta);
    return allOk ? 0 : 1;
  }
  for (const a of actions) appendAfter(o.dir, a.ok ? { op: 'done', id: a.id, at, by: BY } : { op: 'failed', id: a.id, at, by: BY, error: a.message });
  if (allOk) {
    appendAfter(o.dir, { op: 'closed', at: new Date().toISOString(), by: BY });
    const runId = record?.runId;
    const keys = new Set(record?.targets ?? []);
    for (const lock of listLocks(stateDir)) if (runId && lock.owner?.runId === runId) keys.add(lock.key);
    releaseLocks(stateDir, [...keys]);
    rmSync(o.dir, { recursive: true, force: true });
    // the report comes last: the run is cleared before the reporters are even loaded
    await writeCrash(o.writeCrash, crashInput, o.meta);
    return 0;
  }
  writeFileSync(join(o.dir, WATCHDOG_REPORT), `${JSON.stringify(report, null, 2)}\n`);
  await writeCrash(o.writeCrash, crashInput, o.meta);
  return 1;
}
