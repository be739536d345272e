import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE, runDir, type RunRecord } from './ledger.js';
import { appendAfter, readLedger } from './ledger-read.js';

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fd-ledger-'));
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

const record: RunRecord = { runId: 'r1', drill: 'd', file: 'f.yaml', runner: { pid: 1, startTime: '1' }, startedAt: new Date().toISOString(), deadline: new Date().toISOString(), targets: [] };

function written(): { dir: string; file: string; lines: () => string[] } {
  const ledger = new Ledger(state, record);
  ledger.intent('a', 'pause a', { kind: 'none', why: 'a' });
  ledger.update('a', { kind: 'none', why: 'a2' });
  ledger.intent('b', 'pause b', { kind: 'none', why: 'b' });
  ledger.done('b');
  ledger.intent('c', 'pause c', { kind: 'none', why: 'c' });
  const file = join(ledger.dir, LEDGER_FILE);
  return { dir: ledger.dir, file, lines: () => readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

describe('reading a fault ledger', () => {
  it('reads an intact ledger without damage: open entries in order, with their latest recipe', () => {
    const { dir } = written();
    const s = readLedger(dir);
    expect(s.damage).toEqual([]);
    expect(s.open.map((e) => e.id)).toEqual(['a', 'c']);
    expect(s.open[0]?.recipe).toEqual({ kind: 'none', why: 'a2' });
    expect(s.lines[0]).toMatchObject({ op: 'header', runId: 'r1', seq: 0 });
  });

  it('calls a ledger cut at a line boundary truncated, with the records that may be lost', () => {
    const { dir, file, lines } = written();
    writeFileSync(file, `${lines().slice(0, 3).join('\n')}\n`);
    const s = readLedger(dir);
    expect(s.damage).toEqual([expect.objectContaining({ what: expect.stringMatching(/truncated: it ends at seq 2 but 6 records were written/), mayBeLost: expect.stringMatching(/seq 3–5/) })]);
    expect(s.open.map((e) => e.id)).toEqual(['a']);
  });

  it('calls a cut mid-line torn', () => {
    const { dir, file } = written();
    truncateSync(file, readFileSync(file).length - 7);
    const s = readLedger(dir);
    expect(s.damage.map((d) => d.what)).toContainEqual(expect.stringMatching(/^torn/));
    expect(s.damage.find((d) => /^torn/.test(d.what))?.line).toBe(6);
  });

  it('reads past a garbled line and names it; the records after it still count', () => {
    const { dir, file, lines } = written();
    const l = lines();
    l[1] = 'x'.repeat(l[1]!.length);
    writeFileSync(file, `${l.join('\n')}\n`);
    const s = readLedger(dir);
    expect(s.damage).toEqual([expect.objectContaining({ file, line: 2, what: expect.stringMatching(/garbled/) })]);
    expect(s.open.map((e) => e.id)).toEqual(['c']);
  });

  it('sees a record removed from the middle, an edited record and an edited last record', () => {
    const { dir, file, lines } = written();
    const l = lines();
    writeFileSync(file, `${[...l.slice(0, 2), ...l.slice(3)].join('\n')}\n`);
    expect(readLedger(dir).damage.map((d) => d.what)).toEqual([expect.stringMatching(/record seq 2 is missing before this line/)]);
    writeFileSync(file, `${[l[0], l[1]!.replace('pause a', 'pause A'), ...l.slice(2)].join('\n')}\n`);
    expect(readLedger(dir).damage.map((d) => d.what)).toEqual([expect.stringMatching(/does not chain/)]);
    writeFileSync(file, `${[...l.slice(0, 5), l[5]!.replace('pause c', 'pause C')].join('\n')}\n`);
    expect(readLedger(dir).damage.map((d) => d.what)).toEqual([expect.stringMatching(/last record is not the one written/)]);
  });

  it('calls a missing ledger, an empty one or a missing run record damage, never "nothing open"', () => {
    const { dir, file } = written();
    writeFileSync(file, '');
    expect(readLedger(dir).damage.map((d) => d.what)).toContainEqual(expect.stringMatching(/empty/));
    rmSync(file);
    expect(readLedger(dir).damage).toEqual([expect.objectContaining({ file, what: 'missing' })]);
    rmSync(join(dir, 'run.json'));
    expect(readLedger(dir).damage.map((d) => d.file)).toContain(join(dir, 'run.json'));
  });

  it('reads a ledger written before version 2 (no header, no chain) as it was', () => {
    const dir = runDir(state, 'old');
    new Ledger(state, { ...record, runId: 'old' });
    rmSync(join(dir, 'ledger.head'));
    writeFileSync(join(dir, LEDGER_FILE), `${JSON.stringify({ op: 'intent', id: 'x', label: 'x', recipe: { kind: 'none', why: 'x' }, at: new Date().toISOString() })}\n`);
    const s = readLedger(dir);
    expect(s).toMatchObject({ legacy: true, damage: [] });
    expect(s.open.map((e) => e.id)).toEqual(['x']);
    expect(appendAfter(dir, { op: 'done', id: 'x', at: new Date().toISOString(), by: 'test' })).toBe(true);
    expect(readLedger(dir).open).toEqual([]);
  });

  it('appends after an intact ledger on the chain, and leaves a damaged one untouched', () => {
    const { dir, file } = written();
    expect(appendAfter(dir, { op: 'done', id: 'c', at: new Date().toISOString(), by: 'test' })).toBe(true);
    expect(readLedger(dir)).toMatchObject({ damage: [], open: [expect.objectContaining({ id: 'a' })] });
    truncateSync(file, 10);
    const before = readFileSync(file, 'utf8');
    expect(appendAfter(dir, { op: 'done', id: 'a', at: new Date().toISOString(), by: 'test' })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
