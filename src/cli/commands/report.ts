/** `firedrill report <journal>`: renders a report from the journal alone. */
import { readJournal } from '../../journal/read.js';
import { writeFileAtomic } from '../../journal/write.js';
import { reporters, type ReportFormat } from '../../reporters/registry.js';
import { ExitCode } from '../exit-codes.js';

export interface ReportOptions {
  format: ReportFormat;
  output?: string;
}

export async function reportCommand(journalPath: string, options: ReportOptions): Promise<number> {
  const journal = await readJournal(journalPath);
  const text = reporters[options.format].render(journal);
  if (options.output) await writeFileAtomic(options.output, text);
  else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return ExitCode.ok;
}
