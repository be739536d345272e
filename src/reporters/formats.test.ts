import { describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../history/layout.js';
import { FORMAT_NAMES, RUN_REPORTS } from './formats.js';
import { reporters } from './registry.js';

describe('report formats', () => {
  it('names exactly the reporters of the registry, each with its own extension in its run file', () => {
    expect(FORMAT_NAMES).toEqual(Object.keys(reporters));
    for (const r of RUN_REPORTS) expect(r.file.endsWith(`.${reporters[r.format].extension}`)).toBe(true);
    expect(new Set(RUN_REPORTS.map((r) => r.file)).size).toBe(RUN_REPORTS.length);
  });

  it('drives the run folder layout: every report a run writes is an artifact of the layout', () => {
    expect(RUN_REPORTS.map((r) => r.file)).toEqual([ARTIFACTS.markdown, ARTIFACTS.html, ARTIFACTS.junit]);
    expect(RUN_REPORTS.map((r) => r.format)).toEqual(['md', 'html', 'junit']);
  });
});
