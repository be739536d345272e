/**
 * The fault ledger: before each injection the runner durably records (append + fsync) what it is
 * about to do and how to undo it; the entry is closed when the undo succeeded. If the runner dies,
 * the dead-man switch and `firedrill recover` replay the open entries from here.
 *
 * Layout: `<stateDir>/runs/<runId>/run.json` (who runs it), `ledger.jsonl` (append-only) and
 * `ledger.head` (the sequence number and hash of the last record written).
 *
 * Damage is detectable (src/safety/ledger-damage.ts reads it): the first record is a header naming
 * the run, every record carries its sequence number and the hash of the line before it, and
 * `ledger.head` says how far the file must go. A truncated file, a torn or garbled line, a missing
 * record or a missing file is *damage*, never "nothing open".
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoRecipe } from '../injectors/contract.js';

export const LEDGER_VERSION = 2;
export const LEDGER_FILE = 'ledger.jsonl';
export const HEAD_FILE = 'ledger.head';
export const RECORD_FILE = 'run.json';

export interface RunRecord {
  runId: string;
  drill: string;
  file: string;
  runner: { pid: number; startTime: string };
  watchdog?: { pid: number; startTime: string; isolation?: WatchdogIsolation };
  startedAt: string;
  /** after this wall-clock time the run is over, whatever its runner says */
  deadline: string;
  /** target instance keys the run holds locks on */
  targets: string[];
  /** where the run's journal and reports go (a crashed run's are written there too) */
  reportDir?: string;
}

/** Where the dead-man switch runs: in its own systemd scope, or in the runner's cgroup (no systemd). */
export type WatchdogIsolation = 'systemd-scope' | 'same-cgroup';

/** What a record says; the ledger adds `seq` and `prev` when it writes it. */
export type LedgerBody =
  | { op: 'header'; version: number; runId: string; drill: string; at: string }
  | { op: 'intent'; id: string; label: string; recipe: UndoRecipe; at: string }
  | { op: 'update'; id: string; recipe: UndoRecipe; at: string }
  | { op: 'done'; id: string; at: string; by: string }
  | { op: 'failed'; id: string; at: string; by: string; error: string }
  | { op: 'closed'; at: string; by: string };

export type LedgerLine = LedgerBody & { seq: number; prev: string };

export interface LedgerHead {
  seq: number;
  hash: string;
}

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

export function runDir(stateDir: string, runId: string): string {
  return join(runsDir(stateDir), runId);
}

/** The chain hash of one line as written (without its newline). */
export function lineHash(raw: string): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Appends text and (unless `sync` is false) fsyncs it before returning. */
function appendDurably(file: string, text: string, sync = true): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, text);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends one chained record after `last` and moves the head; returns the new head. */
export function appendChained(dir: string, last: LedgerHead | undefined, body: LedgerBody, sync = true): LedgerHead {
  const seq = last ? last.seq + 1 : 0;
  const raw = JSON.stringify({ seq, prev: last?.hash ?? '', ...body });
  appendDurably(join(dir, LEDGER_FILE), `${raw}\n`, sync);
  const head = { seq, hash: lineHash(raw) };
  // the head goes second and without its own fsync (the runner's event loop must not wait twice):
  // a crash can only leave it behind (not damage) or unreadable (reported as damage, the safe side)
  writeFileSync(join(dir, HEAD_FILE), `${JSON.stringify(head)}\n`, { mode: 0o600 });
  return head;
}

/** The writing side, used by the runner (synchronous on purpose: it must be on disk before the fault acts). */
export class Ledger {
  readonly dir: string;
  #head: LedgerHead | undefined;

  constructor(stateDir: string, record: RunRecord) {
    this.dir = runDir(stateDir, record.runId);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeDurably(join(this.dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
    writeDurably(join(this.dir, LEDGER_FILE), '');
    this.#append({ op: 'header', version: LEDGER_VERSION, runId: record.runId, drill: record.drill, at: new Date().toISOString() });
  }

  #append(body: LedgerBody): void {
    this.#head = appendChained(this.dir, this.#head, body);
  }

  /**
   * A record that may reach the disk a moment later: written now, fsynced once for every such
   * record of this tick. For `done` and `failed`: losing one in a crash only makes `recover` run
   * an undo that is idempotent again (the safe side), while an fsync per reverted fault (~5 ms
   * each here) held the event loop, and with it the other hosts' reverts, for 20 x that.
   */
  #appendLazily(body: LedgerBody): void {
    this.#head = appendChained(this.dir, this.#head, body, false);
    if (this.#syncPending) return;
    this.#syncPending = true;
    setImmediate(() => {
      this.#syncPending = false;
      this.#syncNow();
    });
  }

  #syncPending = false;

  #syncNow(): void {
    try {
      const fd = openSync(join(this.dir, LEDGER_FILE), 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // the run's state is gone (closed): nothing left to make durable
    }
  }

  updateRecord(record: RunRecord): void {
    writeDurably(join(this.dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  }

  intent(id: string, label: string, recipe: UndoRecipe): void {
    this.#append({ op: 'intent', id, label, recipe, at: new Date().toISOString() });
  }

  update(id: string, recipe: UndoRecipe): void {
    this.#append({ op: 'update', id, recipe, at: new Date().toISOString() });
  }

  done(id: string, by = 'runner'): void {
    this.#appendLazily({ op: 'done', id, at: new Date().toISOString(), by });
  }

  failed(id: string, error: string, by = 'runner'): void {
    this.#appendLazily({ op: 'failed', id, at: new Date().toISOString(), by, error });
  }

  /** Everything was undone: the run's state can go. */
  close(): void {
    this.#append({ op: 'closed', at: new Date().toISOString(), by: 'runner' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every run directory under the state dir. */
export function listRunDirs(stateDir: string): string[] {
  try {
    return readdirSync(runsDir(stateDir)).map((name) => join(runsDir(stateDir), name));
  } catch {
    return [];
  }
}
