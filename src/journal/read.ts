/** Reads a journal file and checks it is one this version can render. */
import { readFile } from 'node:fs/promises';
import { FiredrillError } from '../errors.js';
import { JOURNAL_VERSION, type Journal } from './types.js';

export async function readJournal(path: string): Promise<Journal> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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

/** Narrows parsed JSON to a Journal (version and the fields reporters rely on). */
export function asJournal(value: unknown, source = 'journal'): Journal {
  if (!value || typeof value !== 'object') throw new FiredrillError('FD_JOURNAL_INVALID', `${source} is not a firedrill journal`);
  const v = value as Record<string, unknown>;
  if (v.journalVersion !== JOURNAL_VERSION) {
    throw new FiredrillError(
      'FD_JOURNAL_INVALID',
      `${source} has journalVersion ${String(v.journalVersion)}; this firedrill reads version ${JOURNAL_VERSION}`,
    );
  }
  for (const key of ['runId', 'drill', 'samples', 'events', 'faults', 'expectations', 'outcome'] as const) {
    if (!(key in v)) throw new FiredrillError('FD_JOURNAL_INVALID', `${source} lacks "${key}"; it is not a complete firedrill journal`);
  }
  return value as Journal;
}
