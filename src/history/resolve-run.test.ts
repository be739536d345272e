import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveJournalPath } from './resolve-run.js';

const root = mkdtempSync(join(tmpdir(), 'firedrill-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const run = join(root, 'shop-pause', '20260101-000000-abcdef');
mkdirSync(run, { recursive: true });
writeFileSync(join(run, 'journal.json'), '{}');
writeFileSync(join(root, 'shop-pause', 'latest'), '20260101-000000-abcdef');

describe('what report and compare accept', () => {
  it('takes a run folder', async () => {
    expect(await resolveJournalPath(run)).toBe(join(run, 'journal.json'));
  });

  it('given a drill folder, says to pass its latest', async () => {
    const drill = join(root, 'shop-pause');
    await expect(resolveJournalPath(drill)).rejects.toThrow(`${drill} holds a drill's runs, not one run; pass ${drill}/latest for the newest, or one of its run folders`);
  });

  it('given the report directory, names a drill\'s latest', async () => {
    await expect(resolveJournalPath(root)).rejects.toThrow(`${root} is a report directory; pass a drill's newest run, e.g. ${root}/shop-pause/latest`);
  });
});
