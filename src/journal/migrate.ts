/**
 * Brings an older journal up to JOURNAL_VERSION one version at a time: a change that bumps the
 * version adds `STEPS[n]`, which turns a version n journal into a version n + 1 one.
 */
import { FiredrillError } from '../errors.js';
import { JOURNAL_VERSION } from './schema.js';

type Step = (journal: Record<string, unknown>) => Record<string, unknown>;

const STEPS: Readonly<Record<number, Step>> = {
  // 1 → 2: only the file's layout of the samples changed; a version 1 sample array is read as it is
  1: (journal) => journal,
};

/** Runs the migration steps from `version` to the current one; refuses when a step is missing. */
export function migrate(journal: Record<string, unknown>, version: number, source: string): Record<string, unknown> {
  let current = journal;
  for (let v = version; v < JOURNAL_VERSION; v++) {
    const step = STEPS[v];
    if (!step) {
      throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is journal version ${version}; this firedrill cannot read journals older than version ${JOURNAL_VERSION}`, {
        source,
        journalVersion: version,
      });
    }
    current = { ...step(current), journalVersion: v + 1 };
  }
  return current;
}
