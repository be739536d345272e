/** Writes a run's journal atomically (temp file, fsync, rename), so a crash never leaves half a journal. */
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Journal } from './types.js';
import { jsonSafe } from '../text/printable.js';

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

export async function writeJournal(path: string, journal: Journal): Promise<void> {
  // the exact values, with no raw control or bidi character in the file (`cat journal.json` is safe)
  await writeFileAtomic(path, `${jsonSafe(JSON.stringify(journal, null, 2))}\n`);
}
