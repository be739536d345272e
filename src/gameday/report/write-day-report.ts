/** Reads the steps' journals and notes and writes day.md, day.html and junit.xml into the day folder. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../errors.js';
import { readNotes } from '../../history/notes.js';
import { readJournal } from '../../journal/read.js';
import { writeFileAtomic } from '../../journal/write.js';
import type { DayRecord } from '../day-record.js';
import { buildDayModel, type StepInput } from './day-model.js';
import { renderDayHtml } from './day-html.js';
import { renderDayJunit } from './day-junit.js';
import { renderDayMarkdown } from './day-markdown.js';

export interface WrittenDayReport {
  markdown: string;
  html: string;
  junit: string;
  problems: string[];
}

export async function writeDayReport(dayDir: string, record: DayRecord, options: { nearMissShare?: number } = {}): Promise<WrittenDayReport> {
  const problems: string[] = [];
  const inputs = new Map<number, StepInput>();
  for (const s of record.steps) {
    if (!s.runDir) continue;
    const dir = join(dayDir, s.runDir);
    try {
      const journal = await readJournal(join(dir, 'journal.json'));
      const notesFile = join(dir, 'notes.md');
      inputs.set(s.index, { journal, ...(existsSync(notesFile) ? { notes: await readNotes(notesFile) } : {}) });
    } catch (e) {
      problems.push(`step ${s.index + 1}: ${errorMessage(e)}`);
    }
  }
  const dayNotesFile = join(dayDir, 'notes.md');
  const dayNotes = existsSync(dayNotesFile) ? await readNotes(dayNotesFile) : undefined;
  const model = buildDayModel(record, inputs, { ...options, ...(dayNotes ? { dayNotes } : {}) });
  const paths = { markdown: join(dayDir, 'day.md'), html: join(dayDir, 'day.html'), junit: join(dayDir, 'junit.xml') };
  await writeFileAtomic(paths.markdown, renderDayMarkdown(model));
  await writeFileAtomic(paths.html, renderDayHtml(model));
  await writeFileAtomic(paths.junit, renderDayJunit(model));
  return { ...paths, problems };
}
