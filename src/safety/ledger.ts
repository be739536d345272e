/**
 * The fault ledger: before each injection the runner durably records (append + fsync) what it is
 * about to do and how to undo it; the entry is closed when the undo succeeded. If the runner dies,
 * the dead-man switch and `firedrill recover` replay the open entries from here.
 *
 * Layout: `<stateDir>/runs/<runId>/run.json` (who runs it) and `ledger.jsonl` (append-only).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoRecipe } from '../injectors/contract.js';

export interface RunRecord {
  runId: string;
  drill: string;
  file: string;
  runner: { pid: number; startTime: string };
  watchdog?: { pid: number; startTime: string };
  startedAt: string;
  /** after this wall-clock time the run is over, whatever its runner says */
  deadline: string;
  /** target instance keys the run holds locks on */
  targets: string[];
}

export type LedgerLine =
  | { op: 'intent'; id: string; label: string; recipe: UndoRecipe; at: string }
  | { op: 'update'; id: string; recipe: UndoRecipe; at: string }
  | { op: 'done'; id: string; at: string; by: string }
  | { op: 'failed'; id: string; at: string; by: string; error: string }
  | { op: 'closed'; at: string; by: string };

export interface OpenEntry {
  id: string;
  label: string;
  recipe: UndoRecipe;
  /** failures so far, newest last */
  failures: string[];
}

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

export function runDir(stateDir: string, runId: string): string {
  return join(runsDir(stateDir), runId);
}

/** Appends one line and fsyncs it before returning. */
function appendDurably(file: string, line: LedgerLine): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The writing side, used by the runner (synchronous on purpose: it must be on disk before the fault acts). */
export class Ledger {
  readonly dir: string;
  readonly #file: string;

  constructor(stateDir: string, record: RunRecord) {
    this.dir = runDir(stateDir, record.runId);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeDurably(join(this.dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
    this.#file = join(this.dir, 'ledger.jsonl');
    writeDurably(this.#file, '');
  }

  updateRecord(record: RunRecord): void {
    writeDurably(join(this.dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  intent(id: string, label: string, recipe: UndoRecipe): void {
    appendDurably(this.#file, { op: 'intent', id, label, recipe, at: new Date().toISOString() });
  }

  update(id: string, recipe: UndoRecipe): void {
    appendDurably(this.#file, { op: 'update', id, recipe, at: new Date().toISOString() });
  }

  done(id: string, by = 'runner'): void {
    appendDurably(this.#file, { op: 'done', id, at: new Date().toISOString(), by });
  }

  failed(id: string, error: string, by = 'runner'): void {
    appendDurably(this.#file, { op: 'failed', id, at: new Date().toISOString(), by, error });
  }

  /** Everything was undone: the run's state can go. */
  close(): void {
    appendDurably(this.#file, { op: 'closed', at: new Date().toISOString(), by: 'runner' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What a ledger says: the open entries (oldest first) and whether the run closed itself. */
export interface LedgerState {
  record?: RunRecord;
  open: OpenEntry[];
  closed: boolean;
}

/** Reads a run's ledger; a torn last line (crash mid-write) is ignored. */
export function readLedger(dir: string): LedgerState {
  let record: RunRecord | undefined;
  try {
    record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  } catch {
    record = undefined;
  }
  let text = '';
  try {
    text = readFileSync(join(dir, 'ledger.jsonl'), 'utf8');
  } catch {
    return { ...(record ? { record } : {}), open: [], closed: false };
  }
  const entries = new Map<string, OpenEntry>();
  let closed = false;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: LedgerLine;
    try {
      line = JSON.parse(raw) as LedgerLine;
    } catch {
      continue;
    }
    if (line.op === 'intent') entries.set(line.id, { id: line.id, label: line.label, recipe: line.recipe, failures: [] });
    else if (line.op === 'update') {
      const e = entries.get(line.id);
      if (e) e.recipe = line.recipe;
    } else if (line.op === 'done') entries.delete(line.id);
    else if (line.op === 'failed') entries.get(line.id)?.failures.push(line.error);
    else if (line.op === 'closed') closed = true;
  }
  return { ...(record ? { record } : {}), open: [...entries.values()], closed };
}

/** Appends a line as someone other than the runner (the watchdog, `recover`). */
export function appendLedger(dir: string, line: LedgerLine): void {
  appendDurably(join(dir, 'ledger.jsonl'), line);
}

/** Every run directory under the state dir. */
export function listRunDirs(stateDir: string): string[] {
  try {
    return readdirSync(runsDir(stateDir)).map((name) => join(runsDir(stateDir), name));
  } catch {
    return [];
  }
}
