/** `firedrill compare <a> <b>`: expectation by expectation, better or worse; exit 1 on a regression beyond the tolerance. */
import { readJournal } from '../../journal/read.js';
import { compareJournals, DEFAULT_TOLERANCE } from '../../reporters/aar/compare-runs.js';
import { comparisonText } from '../../history/compare-text.js';
import { resolveJournalPath } from '../../history/resolve-run.js';
import { ExitCode } from '../exit-codes.js';
import { jsonText, printOut } from '../terminal.js';

export interface CompareOptions {
  tolerance?: number;
  json?: boolean;
  nearMiss?: number;
}

export async function compareCommand(a: string, b: string, options: CompareOptions): Promise<number> {
  const [before, after] = await Promise.all([readJournal(await resolveJournalPath(a)), readJournal(await resolveJournalPath(b))]);
  const comparison = compareJournals(before, after, {
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
    ...(options.nearMiss === undefined ? {} : { nearMissShare: options.nearMiss }),
  });
  printOut(options.json ? jsonText(comparison, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) : comparisonText(comparison));
  return comparison.regressions.length > 0 ? ExitCode.hypothesisViolated : ExitCode.ok;
}
