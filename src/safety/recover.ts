/**
 * Recovering abandoned runs: a run whose runner is gone (or is past its deadline) but whose ledger
 * still has open entries. Used by the dead-man switch for its own run and by `firedrill recover`
 * for every run on the machine. Undos run newest first; each outcome is appended to the ledger, and
 * a run whose entries are all undone is cleared (its directory and target locks removed).
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { appendLedger, listRunDirs, readLedger, type LedgerState } from './ledger.js';
import { isAlive } from './process-identity.js';
import { describeRecipe, executeRecipe } from './recipes/execute.js';
import { releaseLocks } from './target-lock.js';

export interface RecoverAction {
  id: string;
  label: string;
  what: string;
  ok: boolean;
  message: string;
}

export interface RecoverReport {
  runId: string;
  drill: string;
  dir: string;
  reason: string;
  actions: RecoverAction[];
  cleared: boolean;
}

/** Why a run counts as abandoned, or undefined when its runner is alive and within its deadline. */
export async function abandonedBecause(state: LedgerState, dir: string, now = Date.now()): Promise<string | undefined> {
  const record = state.record;
  if (!record) {
    // a run that died before writing run.json: only its age can tell
    const age = now - statSync(dir).mtimeMs;
    return age > 60_000 ? 'its run record is missing' : undefined;
  }
  if (!(await isAlive(record.runner))) return `its runner (pid ${record.runner.pid}) is gone`;
  if (now > Date.parse(record.deadline)) return `it is past its deadline (${record.deadline})`;
  return undefined;
}

/** Undoes the open entries of one run (or says what it would do). */
export async function recoverRun(dir: string, options: { dryRun: boolean; by: string; reason: string; signal?: AbortSignal }): Promise<RecoverReport> {
  const state = readLedger(dir);
  const actions: RecoverAction[] = [];
  const signal = options.signal ?? AbortSignal.timeout(120_000);
  for (const entry of [...state.open].reverse()) {
    const what = describeRecipe(entry.recipe);
    if (options.dryRun) {
      actions.push({ id: entry.id, label: entry.label, what, ok: true, message: 'would run' });
      continue;
    }
    const result = await executeRecipe(entry.recipe, signal);
    actions.push({ id: entry.id, label: entry.label, what, ok: result.ok, message: result.message });
    if (existsSync(dir)) {
      appendLedger(dir, result.ok ? { op: 'done', id: entry.id, at: new Date().toISOString(), by: options.by } : { op: 'failed', id: entry.id, at: new Date().toISOString(), by: options.by, error: result.message });
    }
  }
  const cleared = !options.dryRun && actions.every((a) => a.ok);
  if (cleared && existsSync(dir)) {
    appendLedger(dir, { op: 'closed', at: new Date().toISOString(), by: options.by });
    const stateDir = dirname(dirname(dir));
    releaseLocks(stateDir, state.record?.targets ?? []);
    rmSync(dir, { recursive: true, force: true });
  }
  return { runId: state.record?.runId ?? basename(dir), drill: state.record?.drill ?? '?', dir, reason: options.reason, actions, cleared };
}

/** Every abandoned run on the machine, with the reason. */
export async function findAbandonedRuns(stateDir: string): Promise<{ dir: string; state: LedgerState; reason: string }[]> {
  const found: { dir: string; state: LedgerState; reason: string }[] = [];
  for (const dir of listRunDirs(stateDir)) {
    if (!existsSync(join(dir))) continue;
    const state = readLedger(dir);
    const reason = await abandonedBecause(state, dir);
    if (reason) found.push({ dir, state, reason });
  }
  return found;
}
