import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../journal/read.js';
import { journals, passedJournal } from '../../test/fixtures/journals/build.js';
import { buildAar } from './aar/build.js';
import { reporters } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('reporter registry', () => {
  it('maps each format name to a reporter that says it is that format', () => {
    expect(Object.keys(reporters)).toEqual(['md', 'json', 'html', 'junit']);
    const extensions: Record<string, string> = { md: 'md', json: 'json', html: 'html', junit: 'xml' };
    for (const [name, reporter] of Object.entries(reporters)) {
      expect(reporter.format).toBe(name);
      expect(reporter.extension).toBe(extensions[name]);
      expect(reporter.render(passedJournal()).length).toBeGreaterThan(100);
    }
  });

  it('renders every fixture journal as read back from disk', async () => {
    for (const name of Object.keys(journals)) {
      const journal = await readJournal(join(here, '../../test/fixtures/journals', `${name}.json`));
      expect(reporters.md.render(journal)).toMatch(/^# After-Action Review: shop-backend-/);
      expect(JSON.parse(reporters.json.render(journal))).toMatchObject({ reportVersion: 1, runId: journal.runId });
      expect(reporters.html.render(journal)).toMatch(/^<!doctype html>/);
      expect(reporters.junit.render(journal)).toMatch(/^<\?xml /);
    }
  });

  it('renders one built model the same as from the journal', () => {
    for (const reporter of Object.values(reporters)) {
      expect(reporter.renderModel(buildAar(passedJournal()))).toBe(reporter.render(passedJournal()));
    }
  });

  it('keeps reporters away from the runner: they read the journal, never re-run or re-measure', () => {
    const offenders = sourceFiles(here).filter((file) => /from\s+['"][^'"]*\/runner\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    expect(sourceFiles(here).length).toBeGreaterThan(10);
  });
});
