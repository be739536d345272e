/**
 * docs/drill-format.md's fault field tables are generated from the published schema, one table per
 * fault type and per proxy toxic (`npm run schema` writes them). This fails when they are stale or
 * when a fault type or toxic has no table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockNames, faultTables, rewriteBlocks } from '../../scripts/docs/fault-tables.js';
import { repoRoot } from '../support/cli.js';
import { publishedSchema } from '../support/editor-schema.js';

const doc = readFileSync(join(repoRoot, 'docs', 'drill-format.md'), 'utf8');
const tables = faultTables(publishedSchema);

describe('the fault field tables in docs/drill-format.md', () => {
  it('are what the published schema makes (run `npm run schema` after changing a fault)', () => {
    expect(rewriteBlocks(doc, tables)).toBe(doc);
  });

  it('have one table for the envelope, each fault type, the proxy and each toxic', () => {
    expect(blockNames(doc).sort()).toEqual([...tables.keys()].sort());
    expect([...tables.keys()]).toEqual(expect.arrayContaining(['fault-envelope', 'fault process-pause', 'fault network-bandwidth', 'proxy-envelope', 'toxic bandwidth']));
  });

  it('never put one field of two families in one row: rate is KB/s for the proxy and bits/s for the kernel', () => {
    expect(tables.get('toxic bandwidth')).toMatch(/`faults\[\]\.rate` \| required \| KB\/s/);
    expect(tables.get('fault network-bandwidth')).toMatch(/`faults\[\]\.rate` \| required \| The cap in bits per second/);
    expect(tables.get('toxic latency')).toContain('(`upstream`, `downstream`, `both`)');
    expect(tables.get('fault network-loss')).toContain('(`in`, `out`, `both`)');
  });

  it('refuse a block name the schema does not make', () => {
    expect(() => rewriteBlocks('<!-- generated: fault process-paws (npm run schema) -->\n<!-- end generated -->', tables)).toThrow(/process-paws/);
  });
});
