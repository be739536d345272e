import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journals } from '../../test/fixtures/journals/build.js';
import { jsonSafe } from '../text/printable.js';
import { asJournal } from './read.js';
import { serializeJournal, writeFileAtomicPieces, writeJournal } from './write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writing a journal piece by piece', () => {
  it('writes the same bytes as the whole text, with hidden characters escaped in the head and in the samples', async () => {
    const journal = journals.failed!();
    journal.drill.description = 'evil \u202e name';
    const first = journal.samples[0];
    if (!first) throw new Error('the fixture has samples');
    first.error = 'reset \u202e by peer\u0085';
    const file = join(dir, 'journal.json');
    await writeJournal(file, journal);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(jsonSafe(serializeJournal(journal)));
    expect(text).not.toMatch(/[\u202e\u0085]/);
    const read = asJournal(JSON.parse(text) as unknown, 'file');
    expect(read.drill.description).toBe('evil \u202e name');
    expect(read.samples).toEqual(journal.samples);
  });

  it('leaves neither a temp file nor a journal when a piece cannot be made', async () => {
    function* pieces(): Generator<string> {
      yield '{ "journalVersion": 2';
      throw new Error('out of memory');
    }
    await expect(writeFileAtomicPieces(join(dir, 'journal.json'), pieces())).rejects.toThrow('out of memory');
    expect(readdirSync(dir)).toEqual([]);
  });
});
