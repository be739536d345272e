/** Turns what a user points at — a journal, a run folder, or a drill's `latest` — into a journal path. */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FiredrillError } from '../errors.js';
import { ARTIFACTS, LATEST } from './layout.js';

/** The journal.json a path means; throws FD_JOURNAL_INVALID with what to pass instead when there is none. */
export async function resolveJournalPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new FiredrillError('FD_JOURNAL_INVALID', `${path} does not exist; pass a run's journal.json or its folder`, { path });
  if (info.isDirectory()) return join(path, ARTIFACTS.journal);
  // where symlinks are not possible, `latest` is a file holding the run folder's name
  if (basename(path) === LATEST) {
    const folder = (await readFile(path, 'utf8')).trim();
    if (/^[\w.-]+$/.test(folder)) return join(dirname(path), folder, ARTIFACTS.journal);
  }
  return path;
}
