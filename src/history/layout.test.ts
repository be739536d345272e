import { describe, expect, it } from 'vitest';
import { drillFolderName, runDirFor, runFolderName } from './layout.js';

describe('report directory layout', () => {
  it('names a run folder by its run id when that starts with its start time', () => {
    expect(runFolderName('20261123-170501-3fa2c1')).toBe('20261123-170501-3fa2c1');
    expect(runFolderName('20250514T093000Z-7f3a9c')).toBe('20250514T093000Z-7f3a9c');
  });

  it('prefixes any other run id with the start time, so folders still sort by time', () => {
    expect(runFolderName('nightly/7', new Date('2025-05-14T09:30:00.123Z'))).toBe('20250514T093000Z-nightly-7');
  });

  it('makes a safe folder name of any drill name', () => {
    expect(drillFolderName('shop-backend-kill')).toBe('shop-backend-kill');
    expect(drillFolderName('<img src=x onerror=alert(1)>')).toBe('img-src-x-onerror-alert-1');
    expect(drillFolderName('../../etc')).toBe('etc');
    expect(drillFolderName('Ünïcode only ✓')).toBe('n-code-only');
    expect(drillFolderName('latest')).toBe('drill');
    expect(drillFolderName('...')).toBe('drill');
  });

  it('puts a run under its drill', () => {
    expect(runDirFor('reports', 'Shop Kill', '20261123-170501-3fa2c1')).toBe('reports/shop-kill/20261123-170501-3fa2c1');
  });
});
