/** Reads a journal file and checks it against the journal schema of this version. */
import { readFileSync } from 'node:fs';
import { FiredrillError } from '../errors.js';
import { migrate } from './migrate.js';
import { JOURNAL_VERSION, journalSchema } from './schema.js';
import { decodeSamples, sampleColumnsSchema } from './sample-columns.js';
import type { Journal, Sample } from './types.js';

/** How many schema problems a refusal lists before it says "and N more". */
const MAX_PROBLEMS = 5;

export async function readJournal(path: string): Promise<Journal<Sample[]>> {
  let text: string;
  try {
    // one read: the promise API reads a large file in 512 KiB pieces, each a trip through the
    // thread pool and back, and on a busy host every trip waits for a core
    text = readFileSync(path, 'utf8');
  } catch {
    throw new FiredrillError('FD_JOURNAL_INVALID', `cannot read journal ${path}`, { path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FiredrillError('FD_JOURNAL_INVALID', `${path} is not JSON; pass the journal.json of a run`, { path });
  }
  return asJournal(value, path);
}

function toolOf(v: Record<string, unknown>): string | undefined {
  const tool = v.tool;
  if (!tool || typeof tool !== 'object') return undefined;
  const version = (tool as Record<string, unknown>).version;
  return typeof version === 'string' ? version : undefined;
}

/** Narrows parsed JSON to a Journal: known version (older ones migrated), then every field checked against the schema. */
export function asJournal(value: unknown, source = 'journal'): Journal<Sample[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('journalVersion' in value)) {
    throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is not a firedrill journal (it has no journalVersion); pass the journal.json of a run`, { source });
  }
  const v = value as Record<string, unknown>;
  const version = v.journalVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new FiredrillError('FD_JOURNAL_INVALID', `${source} has journalVersion ${JSON.stringify(version)}, which no firedrill writes`, { source });
  }
  if (version > JOURNAL_VERSION) {
    const writer = toolOf(v);
    throw new FiredrillError(
      'FD_JOURNAL_INVALID',
      `${source} is journal version ${version}${writer ? ` (written by firedrill ${writer})` : ''}; this firedrill reads journal versions up to ${JOURNAL_VERSION}: render it with ${writer ? `firedrill ${writer} or newer` : 'the firedrill that wrote it'}`,
      { source, journalVersion: version, supported: JOURNAL_VERSION },
    );
  }
  const migrated = migrate(v, version, source);
  // columns are checked by their own schema and decoded into valid samples: checking each of a long
  // run's samples again would be most of the time `report` takes
  const fromColumns = !Array.isArray(migrated.samples) && migrated.samples !== undefined;
  const current = withSampleArray(migrated, source);
  const checked = journalSchema.safeParse(fromColumns ? { ...current, samples: [] } : current);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(top)'}: ${i.message}`);
    const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is not a valid version ${JOURNAL_VERSION} journal: ${shown}${more}`, {
      source,
      problems,
    });
  }
  // the schema checked every field; the original object is returned so nothing it carries is dropped
  return current as Journal<Sample[]>;
}

/** A file's sample columns (version 2) decoded into the one-object-per-sample array the schema checks. */
function withSampleArray(journal: Record<string, unknown>, source: string): Record<string, unknown> {
  const samples = journal.samples;
  if (Array.isArray(samples) || samples === undefined) return journal;
  const columns = sampleColumnsSchema.safeParse(samples);
  if (!columns.success) {
    const problems = columns.error.issues.map((i) => `samples.${i.path.map(String).join('.')}: ${i.message}`);
    throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is not a valid version ${JOURNAL_VERSION} journal: ${problems.slice(0, MAX_PROBLEMS).join('; ')}`, { source, problems });
  }
  try {
    return { ...journal, samples: decodeSamples(columns.data, source) };
  } catch (e) {
    throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is not a valid version ${JOURNAL_VERSION} journal: ${e instanceof Error ? e.message : String(e)}`, { source });
  }
}
