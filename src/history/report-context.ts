/** What `firedrill report` merges into a journal's report: the team's notes and the drill's earlier runs. */
import { dirname } from 'node:path';
import type { Journal } from '../journal/types.js';
import type { ReportOptions } from '../reporters/report-options.js';
import { loadHistoryContext, notesIn } from './history-context.js';
import { readNotes } from './notes.js';

/**
 * Notes from `notesPath`, else the notes.md next to the journal; earlier runs from the drill's folder
 * of the report directory the journal sits in. Either may be absent: then the report is the journal's alone.
 */
export async function reportContext(journalPath: string, journal: Journal, notesPath?: string, nearMissShare?: number): Promise<ReportOptions> {
  const runDir = dirname(journalPath);
  const notes = notesPath === undefined ? await notesIn(runDir) : await readNotes(notesPath);
  const history = await loadHistoryContext(runDir, journal, nearMissShare === undefined ? {} : { nearMissShare }).catch(() => undefined);
  return {
    ...(nearMissShare === undefined ? {} : { nearMissShare }),
    ...(notes ? { notes } : {}),
    ...(history ? { history } : {}),
  };
}
