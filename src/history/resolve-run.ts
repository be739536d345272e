/** Turns what a user points at — a journal, a run folder, or a drill's `latest` — into a journal path. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FiredrillError } from '../errors.js';
import { ARTIFACTS, LATEST } from './layout.js';

/** The journal.json a path means; throws FD_JOURNAL_INVALID with what to pass instead when there is none. */
export async function resolveJournalPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new FiredrillError('FD_JOURNAL_INVALID', `${path} does not exist; pass a run's journal.json or its folder`, { path });
  if (info.isDirectory()) {
    const entries = await readdir(path).catch(() => [] as string[]);
    if (entries.includes(ARTIFACTS.journal)) return join(path, ARTIFACTS.journal);
    if (entries.includes(LATEST)) {
      throw new FiredrillError('FD_JOURNAL_INVALID', `${path} holds a drill's runs, not one run; pass ${join(path, LATEST)} for the newest, or one of its run folders`, { path });
    }
    const drills = (await Promise.all(entries.map(async (e) => ((await stat(join(path, e, LATEST)).catch(() => undefined)) ? e : undefined)))).filter((e) => e !== undefined);
    if (drills.length > 0) {
      throw new FiredrillError('FD_JOURNAL_INVALID', `${path} is a report directory; pass a drill's newest run, e.g. ${join(path, drills[0] as string, LATEST)}`, { path });
    }
    return join(path, ARTIFACTS.journal);
  }
  // where symlinks are not possible, `latest` is a file holding the run folder's name
  if (basename(path) === LATEST) {
    const folder = (await readFile(path, 'utf8')).trim();
    if (/^[\w.-]+$/.test(folder)) return join(dirname(path), folder, ARTIFACTS.journal);
  }
  return path;
}
