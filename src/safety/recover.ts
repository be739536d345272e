/**
 * Recovering abandoned runs: a run whose runner is gone (or is past its deadline) but whose ledger
 * still has open entries, or whose ledger is damaged. Used by the dead-man switch for its own run
 * and by `firedrill recover` for every run on the machine. Undos run newest first; each outcome is
 * appended to an intact ledger, and a run whose entries are all undone is cleared. A damaged run is
 * never cleared: every record that can be read is reverted, the damage is reported, and the run's
 * folder is moved to `<stateDir>/damaged/` as evidence.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Journal } from '../journal/types.js';
import { buildCrashJournal, type CrashInput } from './crash-journal.js';
import { listRunDirs, runDir, runsDir, type RunRecord } from './ledger.js';
import { appendAfter, readLedger, type LedgerDamage, type LedgerState, type OpenEntry } from './ledger-read.js';
import { isAlive } from './process-identity.js';
import { readJson } from './read-json.js';
import { describeRecipe, executeRecipe } from './recipes/execute.js';
import { lockRecovery, type RecoveryHolder } from './recovery-lock.js';
import { listLocks, releaseLocks } from './target-lock.js';

/** Files next to the ledger: the runner's journal checkpoint and the dead-man switch's own account. */
export const JOURNAL_CHECKPOINT = 'journal.partial.json';
export const WATCHDOG_REPORT = 'watchdog.json';

export interface RecoverAction {
  id: string;
  label: string;
  what: string;
  ok: boolean;
  message: string;
}

/** What the dead-man switch did for a run, as it wrote it next to the ledger. */
export interface WatchdogReport {
  by: string;
  at: string;
  reason: string;
  actions: RecoverAction[];
  damage: LedgerDamage[];
  /** the run record from the switch's memory (run.json may be damaged or gone) */
  record?: RunRecord;
}

export interface RecoverReport {
  runId: string;
  drill: string;
  dir: string;
  reason: string;
  actions: RecoverAction[];
  cleared: boolean;
  damage: LedgerDamage[];
  /** what a person should check by hand, from the run's locks and journal checkpoint */
  targets: string[];
  /** where the evidence of a damaged run now is */
  evidence?: string;
  /** what the dead-man switch had already reverted from its own copy */
  watchdog?: WatchdogReport;
  /** where the crashed run's journal went */
  journal?: string;
}

/** Writes a crashed run's journal and reports into its report folder; returns the journal's path. */
export type CrashWriter = (journal: Journal, reportDir: string) => Promise<string | undefined>;

/** The exact command that recovers runs under `stateDir` (naming the state dir when it is not the default). */
export function recoverCommandText(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.FIREDRILL_STATE_DIR ? `FIREDRILL_STATE_DIR=${shellWord(stateDir)} firedrill recover` : 'firedrill recover';
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Why a run counts as abandoned, or undefined when its runner is alive and within its deadline. */
export async function abandonedBecause(state: LedgerState, dir: string, now = Date.now()): Promise<string | undefined> {
  const watchdog = readJson<WatchdogReport>(join(dir, WATCHDOG_REPORT));
  // the dead-man switch wrote its account and exited: the run is over
  if (watchdog) return `${watchdog.reason}; the dead-man switch reverted it at ${watchdog.at}`;
  const record = state.record;
  if (!record) {
    // a run without a readable run.json: only its age can tell
    let age = Infinity;
    try {
      age = now - statSync(dir).mtimeMs;
    } catch {
      // gone meanwhile
    }
    return age > 60_000 ? 'its run record is missing or unreadable' : undefined;
  }
  if (!(await isAlive(record.runner))) return `its runner (pid ${record.runner.pid}) is gone`;
  if (now > Date.parse(record.deadline)) return `it is past its deadline (${record.deadline})`;
  return undefined;
}

/** Runs the undo recipes of `entries`, newest first. */
export async function revertEntries(entries: readonly OpenEntry[], options: { dryRun: boolean; signal: AbortSignal }): Promise<RecoverAction[]> {
  const actions: RecoverAction[] = [];
  const newestFirst = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  for (const entry of newestFirst) {
    const what = describeRecipe(entry.recipe);
    if (options.dryRun) {
      actions.push({ id: entry.id, label: entry.label, what, ok: true, message: 'would run' });
      continue;
    }
    const result = await executeRecipe(entry.recipe, options.signal);
    actions.push({ id: entry.id, label: entry.label, what, ok: result.ok, message: result.message });
  }
  return actions;
}

/** What a person should check: the run's targets from its locks and its journal checkpoint. */
export function runTargets(stateDir: string, runId: string, dir: string | undefined): string[] {
  const out = new Set<string>();
  for (const lock of listLocks(stateDir)) {
    if (lock.owner?.runId === runId) out.add(lock.owner.label ?? `target ${lock.owner.target} (lock ${lock.key})`);
  }
  const seed = dir ? readJson<Journal>(join(dir, JOURNAL_CHECKPOINT)) : undefined;
  for (const t of seed?.targets ?? []) {
    for (const i of t.instances) if (i.selected) out.add(`pid ${i.pid} (${i.command.slice(0, 80)})`);
  }
  return [...out];
}

function releaseRunLocks(stateDir: string, runId: string, record: RunRecord | undefined): void {
  const keys = new Set(record?.targets ?? []);
  for (const lock of listLocks(stateDir)) if (lock.owner?.runId === runId) keys.add(lock.key);
  releaseLocks(stateDir, [...keys]);
}

/** Writes the crashed run's journal when the run said where its reports go. */
export async function writeCrash(write: CrashWriter | undefined, input: Omit<CrashInput, 'now' | 'hostname' | 'toolVersion'> & { reportDir?: string }, meta: { hostname: string; toolVersion: string }): Promise<string | undefined> {
  if (!write || !input.reportDir) return undefined;
  try {
    return await write(buildCrashJournal({ ...input, now: new Date(), ...meta }), input.reportDir);
  } catch {
    // the revert is what matters; a report that cannot be written does not undo it
    return undefined;
  }
}

export interface RecoverRunOptions {
  dryRun: boolean;
  by: string;
  reason: string;
  signal?: AbortSignal;
  writeCrash?: CrashWriter;
  meta?: { hostname: string; toolVersion: string };
  /** told once when another recoverer (the dead-man switch, another `recover`) holds the run */
  onWait?: (holder: RecoveryHolder | undefined) => void;
}

/** How long a recoverer waits for another one (the dead-man switch, another `recover`) to finish the same run. */
export const RECOVERY_WAIT_MS = 150_000;

/**
 * Undoes the open entries of one run (or says what it would do); a damaged run's evidence is kept.
 * One recoverer at a time: a run that another recoverer finished meanwhile is reported as such.
 */
export async function recoverRun(dir: string, options: RecoverRunOptions): Promise<RecoverReport> {
  if (options.dryRun) return await recoverOwnRun(dir, options);
  const stateDir = dirname(dirname(dir));
  const lock = await lockRecovery(stateDir, basename(dir), options.by, { waitMs: RECOVERY_WAIT_MS, ...(options.signal ? { signal: options.signal } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) });
  try {
    return existsSync(dir) ? await recoverOwnRun(dir, options) : recoveredMeanwhile(stateDir, dir, options.reason, lock.waitedFor);
  } finally {
    lock.release();
  }
}

/** What another recoverer did with a run whose folder went away while this one waited or looked. */
function recoveredMeanwhile(stateDir: string, dir: string, reason: string, holder: RecoveryHolder | undefined): RecoverReport {
  const runId = basename(dir);
  const by = holder ? `${holder.by} (pid ${holder.owner.pid})` : 'another recoverer';
  const kept = evidenceOf(stateDir, runId);
  const base = { runId, drill: kept?.record?.drill ?? '?', dir, actions: [], targets: kept?.targets ?? [] };
  if (!kept) return { ...base, reason: `${reason}; recovered meanwhile by ${by}: every fault of its ledger reverted and the run cleared`, cleared: true, damage: [] };
  return { ...base, reason: `${reason}; recovered meanwhile by ${by}, who found its ledger damaged`, cleared: false, damage: kept.damage, evidence: kept.dir };
}

/** What the recoverer of a damaged run wrote next to the evidence (undefined: the run was not damaged). */
export function evidenceOf(stateDir: string, runId: string): { dir: string; damage: LedgerDamage[]; actions: RecoverAction[]; targets: string[]; record?: RunRecord } | undefined {
  const kept = join(damagedDir(stateDir), runId);
  if (!existsSync(kept)) return undefined;
  const written = readJson<{ damage?: LedgerDamage[]; actions?: RecoverAction[]; targets?: string[] }>(join(kept, 'recover.json'));
  const watchdog = readJson<WatchdogReport>(join(kept, WATCHDOG_REPORT));
  return {
    dir: kept,
    damage: written?.damage ?? watchdog?.damage ?? [],
    actions: [...(watchdog?.actions ?? []), ...(written?.actions ?? [])],
    targets: written?.targets ?? [],
    ...(watchdog?.record ? { record: watchdog.record } : {}),
  };
}

async function recoverOwnRun(dir: string, options: RecoverRunOptions): Promise<RecoverReport> {
  const stateDir = dirname(dirname(dir));
  const state = readLedger(dir);
  const watchdog = readJson<WatchdogReport>(join(dir, WATCHDOG_REPORT));
  if (!state.record && watchdog?.record) state.record = watchdog.record;
  const runId = state.record?.runId ?? basename(dir);
  // what the dead-man switch already reverted from its own copy is not done twice
  const doneByWatchdog = new Set((watchdog?.actions ?? []).filter((a) => a.ok).map((a) => a.id));
  const open = state.open.filter((e) => !doneByWatchdog.has(e.id));
  const at = new Date().toISOString();
  const actions = await revertEntries(open, { dryRun: options.dryRun, signal: options.signal ?? AbortSignal.timeout(120_000) });
  const damaged = state.damage.length > 0;
  const report: RecoverReport = { runId, drill: state.record?.drill ?? '?', dir, reason: options.reason, actions, cleared: false, damage: state.damage, targets: runTargets(stateDir, runId, dir), ...(watchdog ? { watchdog } : {}) };
  if (options.dryRun) return report;

  if (!damaged) {
    for (const a of actions) appendAfter(dir, a.ok ? { op: 'done', id: a.id, at, by: options.by } : { op: 'failed', id: a.id, at, by: options.by, error: a.message });
  }
  const reverts = [...(watchdog ? [{ by: watchdog.by, at: watchdog.at, actions: watchdog.actions }] : []), ...(actions.length > 0 ? [{ by: options.by, at, actions }] : [])];
  const journal = await writeCrash(
    options.writeCrash,
    { ...(state.record ? { record: state.record } : {}), ...seedOf(dir), lines: state.lines, reverts, reason: options.reason, damage: state.damage, ...(state.record?.reportDir ? { reportDir: state.record.reportDir } : {}) },
    options.meta ?? { hostname: '', toolVersion: '' },
  );
  if (journal) report.journal = journal;

  if (damaged) {
    writeFileSync(join(dir, 'recover.json'), `${JSON.stringify({ by: options.by, at, reason: options.reason, actions, damage: state.damage, targets: report.targets }, null, 2)}\n`);
    report.evidence = keepEvidence(stateDir, dir, runId);
    releaseRunLocks(stateDir, runId, state.record);
    return report;
  }
  report.cleared = actions.every((a) => a.ok);
  if (report.cleared && existsSync(dir)) {
    appendAfter(dir, { op: 'closed', at: new Date().toISOString(), by: options.by });
    releaseRunLocks(stateDir, runId, state.record);
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

function seedOf(dir: string): { seed?: Journal } {
  const seed = readJson<Journal>(join(dir, JOURNAL_CHECKPOINT));
  return seed && typeof seed.runId === 'string' ? { seed } : {};
}

/** Where damaged runs are kept for a person to look at. */
export function damagedDir(stateDir: string): string {
  return join(stateDir, 'damaged');
}

/** Moves a damaged run's folder out of the way of recovery, never deleting it. */
function keepEvidence(stateDir: string, dir: string, runId: string): string {
  mkdirSync(damagedDir(stateDir), { recursive: true, mode: 0o700 });
  let target = join(damagedDir(stateDir), runId);
  for (let i = 2; existsSync(target) && i < 100; i++) target = join(damagedDir(stateDir), `${runId}.${i}`);
  try {
    renameSync(dir, target);
    return target;
  } catch {
    return dir;
  }
}

/** Damaged runs kept earlier, for `recover` to mention. */
export function listDamaged(stateDir: string): string[] {
  try {
    return readdirSync(damagedDir(stateDir)).map((n) => join(damagedDir(stateDir), n));
  } catch {
    return [];
  }
}

/**
 * Locks of runs whose folder is gone and whose owner is dead: the ledger is missing next to a
 * lock, which is damage. Recovery reports it (nothing can be read to revert) and releases the locks.
 */
export async function recoverOrphanLocks(stateDir: string, runId: string, options: { dryRun: boolean; reason: string }): Promise<RecoverReport> {
  const locks = listLocks(stateDir).filter((l) => l.owner?.runId === runId);
  const damage: LedgerDamage[] = locks.map((l) => ({
    file: l.file,
    what: `a lock of run ${runId} whose run folder ${runDir(stateDir, runId)} is missing`,
    mayBeLost: 'the whole fault ledger of the run: which faults were injected on this target and how to undo them',
  }));
  const report: RecoverReport = { runId, drill: locks[0]?.owner?.drill ?? '?', dir: runDir(stateDir, runId), reason: options.reason, actions: [], cleared: false, damage, targets: runTargets(stateDir, runId, undefined) };
  if (!options.dryRun) {
    const evidence = join(damagedDir(stateDir), runId);
    mkdirSync(evidence, { recursive: true, mode: 0o700 });
    writeFileSync(join(evidence, 'recover.json'), `${JSON.stringify({ at: new Date().toISOString(), reason: options.reason, damage, targets: report.targets, locks: locks.map((l) => l.owner) }, null, 2)}\n`);
    report.evidence = evidence;
    releaseLocks(stateDir, locks.map((l) => l.key));
  }
  return report;
}

export interface AbandonedRun {
  runId: string;
  /** the run's folder; absent for a run known only from its locks */
  dir?: string;
  state?: LedgerState;
  reason: string;
  /** open entries or damage: a target of this run may still carry a fault */
  mayHoldFaults: boolean;
}

/** Every abandoned run on the machine, with the reason, including runs known only from their locks. */
export async function findAbandonedRuns(stateDir: string): Promise<AbandonedRun[]> {
  const found: AbandonedRun[] = [];
  const withDir = new Set<string>();
  for (const dir of listRunDirs(stateDir)) {
    withDir.add(basename(dir));
    if (!existsSync(dir)) continue;
    const state = readLedger(dir);
    const reason = await abandonedBecause(state, dir);
    if (reason) found.push({ runId: state.record?.runId ?? basename(dir), dir, state, reason, mayHoldFaults: state.open.length > 0 || state.damage.length > 0 });
  }
  const orphans = new Map<string, { pid: number; startTime: string }>();
  for (const lock of listLocks(stateDir)) {
    if (lock.owner && !withDir.has(lock.owner.runId)) orphans.set(lock.owner.runId, lock.owner.owner);
  }
  for (const [runId, owner] of orphans) {
    if (await isAlive(owner)) continue;
    found.push({ runId, reason: `its runner (pid ${owner.pid}) is gone and its run folder ${join(runsDir(stateDir), runId)} is missing next to its lock`, mayHoldFaults: true });
  }
  return found;
}
