/**
 * Loads what a run's report needs from the runs before it: the previous run of the same drill (in
 * full), short summaries of the earlier ones and their notes. Looks only in the drill's folder of
 * the report directory; a journal that does not sit in one simply has no history.
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { readJournal } from '../journal/read.js';
import type { Journal } from '../journal/types.js';
import type { HistoryContext, TeamNotes } from '../reporters/aar/context.js';
import { siblingRunDirs } from './discover.js';
import { ARTIFACTS } from './layout.js';
import { readNotes } from './notes.js';
import { summarise } from './run-summary.js';

/** How many earlier runs are read in full for their summaries (the newest ones); notes are read from all. */
export const EARLIER_RUNS_READ = 10;

/** The history of the run whose journal is in `runDir`; undefined when no earlier run of its drill is found. */
export async function loadHistoryContext(runDir: string, journal: Journal, options: { nearMissShare?: number; signal?: AbortSignal } = {}): Promise<HistoryContext | undefined> {
  const siblings = await siblingRunDirs(runDir, dirname(runDir));
  const earlier: Array<{ dir: string; journal: Journal }> = [];
  // folder names sort by start time; read the newest first and stop after enough
  for (const dir of [...siblings].reverse()) {
    options.signal?.throwIfAborted();
    if (earlier.length >= EARLIER_RUNS_READ) break;
    const other = await readJournal(join(dir, ARTIFACTS.journal)).catch(() => undefined);
    if (!other || other.drill.name !== journal.drill.name || !(Date.parse(other.startedAt) < Date.parse(journal.startedAt))) continue;
    earlier.push({ dir, journal: other });
  }
  earlier.sort((a, b) => Date.parse(a.journal.startedAt) - Date.parse(b.journal.startedAt));
  const previous = earlier[earlier.length - 1];
  if (!previous) return undefined;
  const earlierNotes: HistoryContext['earlierNotes'] = [];
  for (const dir of siblings) {
    const notes = await notesIn(dir);
    const runId = earlier.find((e) => e.dir === dir)?.journal.runId ?? basename(dir);
    if (notes && basename(dir) < basename(runDir)) earlierNotes.push({ runId, notes });
  }
  return {
    previous: { journal: previous.journal, href: `${relative(runDir, previous.dir).split('\\').join('/')}/` },
    earlier: earlier.map((e) => summarise(e.journal, e.dir, options.nearMissShare)),
    earlierNotes,
  };
}

/** The notes.md of a run folder, when the team wrote one. */
export async function notesIn(runDir: string): Promise<TeamNotes | undefined> {
  const path = join(runDir, ARTIFACTS.notes);
  try {
    await access(path);
  } catch {
    return undefined;
  }
  return readNotes(path).then(
    (notes) => ({ ...notes, source: ARTIFACTS.notes }),
    () => undefined,
  );
}
