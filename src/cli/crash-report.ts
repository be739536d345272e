/**
 * Writes a crashed run's journal and reports (built by safety/crash-journal.ts) into the run's
 * report folder, the same artifacts a finished run has. A journal the runner itself finished is
 * never overwritten: the runner's word about its own run wins.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readJournal } from '../journal/read.js';
import type { Journal } from '../journal/types.js';
import type { CrashWriter } from '../safety/recover.js';
import { runPathsAt, writeRunArtifacts } from './report-layout.js';

export const writeCrashReport: CrashWriter = async (journal: Journal, reportDir: string) => {
  const paths = runPathsAt(reportDir);
  if (existsSync(paths.journal)) {
    const existing = await readJournal(paths.journal).catch(() => undefined);
    if (existing && existing.outcome.verdict !== 'crashed') return undefined;
  }
  mkdirSync(reportDir, { recursive: true });
  // earlier runs are not read: the switch should be done and gone quickly
  await writeRunArtifacts(paths, journal, { history: false });
  return paths.journal;
};
