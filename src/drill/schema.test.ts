import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drillJsonSchema } from './schema.js';
import { schemaPaths } from './schema-paths.js';

const root = new URL('../../', import.meta.url);

describe('the drill schema', () => {
  it('matches the published schema/drill.schema.json (run `npm run schema` after changing the format)', () => {
    const published = JSON.parse(readFileSync(new URL('schema/drill.schema.json', root), 'utf8')) as unknown;
    expect(drillJsonSchema()).toEqual(published);
  });

  it('has every field documented in docs/drill-format.md', () => {
    const doc = readFileSync(new URL('docs/drill-format.md', root), 'utf8');
    const paths = new Set(schemaPaths(drillJsonSchema()).map((p) => p.replace(/^expect\.(baseline|fault|recovery)(?=\[\])/, 'expect.<phase>')));
    const undocumented = [...paths].filter((p) => !doc.includes(`\`${p}\``));
    expect(undocumented).toEqual([]);
  });
});
