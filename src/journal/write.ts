/** Writes a run's journal atomically (temp file, fsync, rename), so a crash never leaves half a journal. */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Journal } from './types.js';
import { jsonSafe } from '../text/printable.js';
import { encodeSamplesByProbe } from './sample-columns.js';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomicPieces(path, [text]);
}

/** Like writeFileAtomic, with the text given in pieces that are written one after the other (none is held longer than its write). */
export async function writeFileAtomicPieces(path: string, pieces: Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    try {
      for (const piece of pieces) await handle.write(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    // a half-written temp file is nobody's journal
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, path);
}

/**
 * The journal file's text in pieces: indented JSON for people, except the samples, which are
 * columns per probe on one line each (journal/sample-columns.ts): most of a long run's file. Each
 * probe's line is made only when it is written, so an hour's columns are never all in memory.
 */
export function* journalPieces(journal: Journal): Generator<string> {
  const { samples, ...rest } = journal;
  const head = JSON.stringify(rest, null, 2);
  // the samples go last: the head's closing brace is replaced, nothing inside it is searched
  yield `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "samples": `;
  let first = true;
  for (const block of encodeSamplesByProbe(samples)) {
    yield `${first ? '{ "columns": [\n' : ',\n'}    ${JSON.stringify(block)}`;
    first = false;
  }
  yield first ? '{ "columns": [] }\n}\n' : '\n  ] }\n}\n';
}

/** The journal file's whole text (journalPieces joined). */
export function serializeJournal(journal: Journal): string {
  return [...journalPieces(journal)].join('');
}

export async function writeJournal(path: string, journal: Journal): Promise<void> {
  // the exact values, with no raw control or bidi character in the file (`cat journal.json` is
  // safe); jsonSafe maps characters one by one, so piece by piece is the same as all at once
  await writeFileAtomicPieces(path, map(journalPieces(journal), jsonSafe));
}

function* map<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}
