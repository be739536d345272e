/**
 * Reading a run's fault ledger back, damage included. Every record that can still be read counts
 * (its open entries are reverted); everything that cannot is reported as damage with the file, the
 * line and what may have been lost, so recovery never mistakes a damaged ledger for "nothing open".
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoRecipe } from '../injectors/contract.js';
import { appendChained, HEAD_FILE, LEDGER_FILE, lineHash, RECORD_FILE, type LedgerBody, type LedgerHead, type LedgerLine, type RunRecord } from './ledger.js';

export interface OpenEntry {
  id: string;
  label: string;
  recipe: UndoRecipe;
  /** when the intent was recorded */
  at: string;
  /** failures so far, newest last */
  failures: string[];
}

export interface LedgerDamage {
  file: string;
  /** 1-based line in the file, when the damage is at one */
  line?: number;
  what: string;
  /** what this damage may have cost, in words */
  mayBeLost: string;
}

/** What a ledger says: the readable records, the open entries (oldest first), and its damage. */
export interface LedgerState {
  record?: RunRecord;
  open: OpenEntry[];
  closed: boolean;
  /** every record that could be read, in file order */
  lines: LedgerLine[];
  damage: LedgerDamage[];
  /** where the next record chains on (the last readable record), when the ledger is intact */
  last?: LedgerHead;
  /** written by a firedrill before ledger version 2: no header, no chain, so damage cannot be seen */
  legacy: boolean;
}

const LOST_RECORD = 'one record: an injection with its undo recipe (that fault cannot be reverted from here), or the note that an undo was done';

function seqRange(from: number, to: number): string {
  return from === to ? `record seq ${from} is` : `records seq ${from}–${to} are`;
}

function isLine(v: unknown): v is LedgerLine {
  return typeof v === 'object' && v !== null && typeof (v as { op?: unknown }).op === 'string';
}

function readRecord(dir: string, damage: LedgerDamage[]): RunRecord | undefined {
  const file = join(dir, RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    damage.push({ file, what: 'missing', mayBeLost: 'who ran the run (runner pid), its deadline and the targets it locked' });
    return undefined;
  }
  try {
    const v = JSON.parse(text) as RunRecord;
    if (typeof v.runId === 'string' && typeof v.runner?.pid === 'number') return v;
  } catch {
    // reported below
  }
  damage.push({ file, what: 'garbled', mayBeLost: 'who ran the run (runner pid), its deadline and the targets it locked' });
  return undefined;
}

function readHead(dir: string): LedgerHead | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')) as LedgerHead;
    return typeof v.seq === 'number' && typeof v.hash === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a run's ledger, its readable records and its damage. */
export function readLedger(dir: string): LedgerState {
  const damage: LedgerDamage[] = [];
  const record = readRecord(dir, damage);
  const file = join(dir, LEDGER_FILE);
  const state: LedgerState = { ...(record ? { record } : {}), open: [], closed: false, lines: [], damage, legacy: false };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    damage.push({ file, what: 'missing', mayBeLost: 'every record: which faults were injected and how to undo them' });
    return state;
  }
  const raws = text.split('\n');
  const torn = raws[raws.length - 1] !== '';
  if (!torn) raws.pop();
  // a ledger.head exists from version 2 on: without it and without any chained record, it is version 1
  const legacy = raws.length > 0 && !existsSync(join(dir, HEAD_FILE)) && raws.every((r) => !r.includes('"seq":'));
  state.legacy = legacy;
  let expectSeq = 0;
  let prevRaw: string | undefined;
  let prevReadable = true;
  for (const [i, raw] of raws.entries()) {
    const lineNo = i + 1;
    const last = i === raws.length - 1;
    let line: LedgerLine | undefined;
    try {
      const v: unknown = JSON.parse(raw);
      if (isLine(v)) line = v;
    } catch {
      line = undefined;
    }
    if (!line) {
      damage.push(
        last && torn
          ? { file, line: lineNo, what: 'torn (the last line was cut mid-write)', mayBeLost: `that record (seq ${expectSeq}) and any written after it` }
          : { file, line: lineNo, what: 'garbled (not a ledger record)', mayBeLost: `${LOST_RECORD} (seq ${expectSeq})` },
      );
      expectSeq++;
      prevReadable = false;
      prevRaw = raw;
      continue;
    }
    if (!legacy) {
      if (lineNo === 1 && line.op !== 'header') {
        damage.push({ file, line: 1, what: 'the header record is missing (the start of the file was cut or overwritten)', mayBeLost: 'the records before this line' });
      }
      if (line.seq !== expectSeq) {
        damage.push(
          line.seq > expectSeq
            ? { file, line: lineNo, what: `${seqRange(expectSeq, line.seq - 1)} missing before this line`, mayBeLost: `${line.seq - expectSeq} record(s): injections with their undo recipes, or notes that undos were done` }
            : { file, line: lineNo, what: `out of order (seq ${line.seq} after seq ${expectSeq - 1})`, mayBeLost: 'the order of the records: an entry may look open or done when it is not' },
        );
      } else if (prevReadable && line.seq > 0 && line.prev !== lineHash(prevRaw ?? '')) {
        damage.push({ file, line: lineNo, what: 'does not chain on the line before it (a record was edited or replaced)', mayBeLost: 'the record before this line may not be what was written' });
      }
      expectSeq = Math.max(expectSeq, line.seq) + 1;
    }
    prevReadable = true;
    prevRaw = raw;
    state.lines.push(line);
  }
  if (!legacy) {
    const head = readHead(dir);
    const lastSeq = expectSeq - 1;
    if (raws.length === 0) {
      damage.push({ file, what: 'empty (the header record is missing)', mayBeLost: head ? `all ${head.seq + 1} record(s) written` : 'every record written' });
    }
    if (!head) {
      damage.push({ file: join(dir, HEAD_FILE), what: 'missing or garbled', mayBeLost: 'how many records were written (a cut at the end of the ledger cannot be ruled out)' });
    } else if (head.seq === lastSeq && raws.length > 0 && head.hash !== lineHash(raws[raws.length - 1] ?? '') && damage.length === 0) {
      damage.push({ file, line: raws.length, what: 'the last record is not the one written (it was changed after it was written)', mayBeLost: 'the last record as written: an injection with its undo recipe, or the note that an undo was done' });
    } else if (head.seq > lastSeq) {
      damage.push({ file, line: raws.length + 1, what: `truncated: it ends at seq ${lastSeq} but ${head.seq + 1} records were written`, mayBeLost: `${seqRange(lastSeq + 1, head.seq).replace(/ (is|are)$/, '')}: injections with their undo recipes, or notes that undos were done` });
    }
  }
  replay(state);
  if (damage.length === 0 && state.lines.length > 0) {
    const lastRaw = raws[raws.length - 1] ?? '';
    const lastLine = state.lines[state.lines.length - 1];
    if (lastLine) state.last = { seq: typeof lastLine.seq === 'number' ? lastLine.seq : state.lines.length - 1, hash: lineHash(lastRaw) };
  }
  return state;
}

function replay(state: LedgerState): void {
  const entries = new Map<string, OpenEntry>();
  for (const line of state.lines) {
    if (line.op === 'intent') entries.set(line.id, { id: line.id, label: line.label, recipe: line.recipe, at: line.at, failures: [] });
    else if (line.op === 'update') {
      const e = entries.get(line.id);
      if (e) e.recipe = line.recipe;
    } else if (line.op === 'done') entries.delete(line.id);
    else if (line.op === 'failed') entries.get(line.id)?.failures.push(line.error);
    else if (line.op === 'closed') state.closed = true;
  }
  state.open = [...entries.values()];
}

/**
 * Appends a record as someone other than the runner (the watchdog, `recover`), chained on the last
 * one. A damaged ledger is left exactly as it is (it is evidence): returns false then.
 */
export function appendAfter(dir: string, body: LedgerBody): boolean {
  if (!existsSync(dir)) return false;
  const state = readLedger(dir);
  if (state.damage.length > 0) return false;
  if (state.legacy) {
    appendFileSync(join(dir, LEDGER_FILE), `${JSON.stringify(body)}\n`);
    return true;
  }
  appendChained(dir, state.last, body);
  return true;
}
