/** Writes a run's journal atomically (temp file, fsync, rename), so a crash never leaves half a journal. */
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Journal } from './types.js';
import { jsonSafe } from '../text/printable.js';
import { encodeSamples } from './sample-columns.js';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/**
 * The journal file's text: indented JSON for people, except the samples, which are columns per
 * probe on one line each (journal/sample-columns.ts): most of a long run's file.
 */
export function serializeJournal(journal: Journal): string {
  const { samples, ...rest } = journal;
  const head = JSON.stringify(rest, null, 2);
  const { columns } = encodeSamples(samples);
  const body = columns.length === 0 ? '{ "columns": [] }' : `{ "columns": [\n${columns.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ] }`;
  // the samples go last: the head's closing brace is replaced, nothing inside it is searched
  return `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "samples": ${body}\n}\n`;
}

export async function writeJournal(path: string, journal: Journal): Promise<void> {
  // the exact values, with no raw control or bidi character in the file (`cat journal.json` is safe)
  await writeFileAtomic(path, jsonSafe(serializeJournal(journal)));
}
