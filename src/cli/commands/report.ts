/** `firedrill report <journal>`: renders a report from the journal, with the team's notes and earlier runs when there are any. */
import { reportContext } from '../../history/report-context.js';
import { resolveJournalPath } from '../../history/resolve-run.js';
import { readJournal } from '../../journal/read.js';
import { writeFileAtomic } from '../../journal/write.js';
import { reporters, type ReportFormat } from '../../reporters/registry.js';
import { ExitCode } from '../exit-codes.js';
import { printOut } from '../terminal.js';

export interface ReportOptions {
  format: ReportFormat;
  output?: string;
  notes?: string;
}

export async function reportCommand(journalPath: string, options: ReportOptions): Promise<number> {
  const path = await resolveJournalPath(journalPath);
  const journal = await readJournal(path);
  const text = reporters[options.format].render(journal, await reportContext(path, journal, options.notes));
  if (options.output) await writeFileAtomic(options.output, text);
  else printOut(text.endsWith('\n') ? text : `${text}\n`);
  return ExitCode.ok;
}
