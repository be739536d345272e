import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journals, passedJournal, killSwitchJournal } from '../../test/fixtures/journals/build.js';
import { FiredrillError } from '../errors.js';
import { asJournal, readJournal } from './read.js';
import { JOURNAL_VERSION } from './schema.js';

/** A fixture journal as it lies on disk (JSON round trip), to mutate. */
function onDisk(build: () => unknown = passedJournal): Record<string, unknown> {
  return JSON.parse(JSON.stringify(build())) as Record<string, unknown>;
}

function refusal(value: unknown): FiredrillError {
  try {
    asJournal(value, 'run.json');
  } catch (e) {
    if (e instanceof FiredrillError) return e;
    throw e;
  }
  throw new Error('the journal was accepted');
}

describe('readJournal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fd-journal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.entries(journals))('accepts the %s fixture journal and returns every field it carries', async (name, build) => {
    const path = join(dir, `${name}.json`);
    await writeFile(path, JSON.stringify(build()));
    const journal = await readJournal(path);
    expect(journal).toEqual(JSON.parse(JSON.stringify(build())));
  });

  it('refuses a journal of a newer version, naming both versions and the firedrill that wrote it', () => {
    const j = onDisk();
    j.journalVersion = JOURNAL_VERSION + 1;
    (j.tool as Record<string, unknown>).version = '9.1.0';
    const e = refusal(j);
    expect(e.code).toBe('FD_JOURNAL_INVALID');
    expect(e.message).toBe(
      `run.json is journal version ${JOURNAL_VERSION + 1} (written by firedrill 9.1.0); this firedrill reads journal versions up to ${JOURNAL_VERSION}: render it with firedrill 9.1.0 or newer`,
    );
  });

  it('refuses versions no firedrill writes and files that are not journals', () => {
    for (const version of [0, -1, 1.5, '1', null]) {
      const j = onDisk();
      j.journalVersion = version;
      expect(refusal(j).message).toMatch(/^run\.json has journalVersion .*, which no firedrill writes$/);
    }
    for (const value of [null, 42, 'journal', [], { runId: 'x' }]) {
      expect(refusal(value).message).toBe('run.json is not a firedrill journal (it has no journalVersion); pass the journal.json of a run');
    }
  });

  it('lists every schema problem with its path', () => {
    const j = onDisk(killSwitchJournal);
    delete j.outcome;
    (j.samples as Record<string, unknown>[])[3]!.t = 'soon';
    (j.faults as Record<string, unknown>[])[0]!.status = 'maybe';
    const e = refusal(j);
    expect(e.message).toMatch(new RegExp(`^run\\.json is not a valid version ${JOURNAL_VERSION} journal: `));
    expect(e.message).toContain('samples.3.t: ');
    expect(e.message).toContain('faults.0.status: ');
    expect(e.message).toContain('outcome: ');
    expect(e.details.problems).toHaveLength(3);
  });

  it('says how many more problems there are past the first five', () => {
    const j = onDisk();
    for (const s of (j.samples as Record<string, unknown>[]).slice(0, 8)) s.ok = 'yes';
    const e = refusal(j);
    expect(e.message).toMatch(/; and 3 more$/);
  });

  it('checks the drill sections every report reads', () => {
    const j = onDisk();
    delete (j.drill as { spec: Record<string, unknown> }).spec.probes;
    expect(refusal(j).message).toContain('drill.spec.probes: ');
  });

  it('refuses a file that is not JSON, and one that cannot be read', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"journalVersion": 1,');
    await expect(readJournal(path)).rejects.toThrow(`${path} is not JSON; pass the journal.json of a run`);
    await expect(readJournal(join(dir, 'missing.json'))).rejects.toThrow(`cannot read journal ${join(dir, 'missing.json')}`);
  });
});
