/**
 * Writes a crashed run's journal and reports (built by safety/crash-journal.ts) into the run's
 * report folder, the same artifacts a finished run has. A journal the runner itself finished is
 * never overwritten: the runner's word about its own run wins. The samples the runner had
 * streamed to the folder (journal/sample-stream.ts) go into the journal; a chunk the crash tore is
 * dropped and said so in the timeline.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { readJournal } from '../journal/read.js';
import { readSampleStream, SAMPLE_STREAM_FILE } from '../journal/sample-stream.js';
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
  const stream = join(reportDir, SAMPLE_STREAM_FILE);
  const withSamples = existsSync(stream) && journal.samples.length === 0 ? withStreamedSamples(journal, stream) : journal;
  // earlier runs are not read: the switch should be done and gone quickly
  await writeRunArtifacts(paths, withSamples, { history: false });
  rmSync(stream, { force: true });
  return paths.journal;
};

/** The journal with the samples the runner streamed before it died, and a warning for each chunk that could not be read. */
export function withStreamedSamples(journal: Journal, stream: string): Journal {
  let read;
  try {
    read = readSampleStream(stream);
  } catch (e) {
    read = { samples: [] as Journal['samples'], chunks: 0, problems: [`${stream} could not be read (${errorMessage(e)}): the run's samples are lost`] };
  }
  // the run-end event stays last
  const end = journal.events.findIndex((e) => e.type === 'run-end');
  const t = journal.events[end < 0 ? journal.events.length - 1 : end]?.t ?? 0;
  const told = read.problems.map((message) => ({ t, type: 'warning' as const, message: `samples: ${message}` }));
  const events = end < 0 ? [...journal.events, ...told] : [...journal.events.slice(0, end), ...told, ...journal.events.slice(end)];
  return { ...journal, samples: read.samples, events };
}
