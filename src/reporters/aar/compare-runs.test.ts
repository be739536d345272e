import { describe, expect, it } from 'vitest';
import { failedJournal, killSwitchJournal, passedJournal } from '../../../test/fixtures/journals/build.js';
import { faster, rerun, slower } from '../../../test/fixtures/journals/reruns.js';
import { compareJournals, relativeWorse } from './compare-runs.js';

describe('relativeWorse', () => {
  it('measures latencies and times against the earlier value, positive when worse', () => {
    expect(relativeWorse('latencyP95', 500, 750, 800, 5)).toBe(0.5);
    expect(relativeWorse('recoversWithin', 4100, 9800, 10_000, 500)).toBeCloseTo(1.3902, 4);
    expect(relativeWorse('latencyP95', 750, 500, 800, 5)).toBeCloseTo(-0.3333, 4);
  });

  it('ignores differences a probe cannot resolve', () => {
    expect(relativeWorse('latencyP95', 12, 15, 800, 5)).toBe(0);
    expect(relativeWorse('recoversWithin', 1450, 1900, 10_000, 500)).toBe(0);
  });

  it('measures success rates against the error budget', () => {
    // 99 % → 97 % under a 95 % limit used 40 % more of the 5 % budget
    expect(relativeWorse('successRate', 0.99, 0.97, 0.95, 0)).toBeCloseTo(0.4, 6);
  });

  it('treats a value that went missing as infinitely worse', () => {
    expect(relativeWorse('recoversWithin', 4000, null, 10_000, 500)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeWorse('recoversWithin', null, 4000, 10_000, 500)).toBe(Number.NEGATIVE_INFINITY);
    expect(relativeWorse('recoversWithin', null, null, 10_000, 500)).toBe(0);
  });
});

describe('compareJournals', () => {
  it('flags an expectation that stopped holding and the verdict that went with it as regressions, with numbers', () => {
    const before = passedJournal();
    const after = rerun(before, '20250515T093000Z-dddddd', slower);
    const c = compareJournals(before, after);
    expect(c.verdict).toMatchObject({ before: 'passed', after: 'failed', change: 'worse', regression: true });
    const p95 = c.expectations.find((e) => e.key === 'fault/api-health/latencyP95');
    expect(p95).toMatchObject({ change: 'worse', regression: true });
    expect(p95?.text).toMatch(/^fault api-health latencyP95 < 800ms: 755ms → 9\d\dms \(worse by \d+(\.\d)?%; near miss → MISSED\)$/);
    expect(c.regressions.map((r) => r.key)).toEqual(['verdict', 'fault/api-health/latencyP95']);
    expect(c.expectations.filter((e) => e.change === 'same')).toHaveLength(3);
  });

  it('says what got better and finds no regression when nothing got worse', () => {
    const before = failedJournal();
    const c = compareJournals(before, rerun(before, '20250515T094500Z-cccccc', faster));
    expect(c.regressions).toEqual([]);
    expect(c.expectations.find((e) => e.key === 'fault/api-health/latencyP95')).toMatchObject({ change: 'better', regression: false });
  });

  it('lets a value get worse within the tolerance', () => {
    const before = passedJournal();
    const bit = rerun(before, '20250515T093000Z-eeeeee', (s) => (s.phase === 'baseline' ? { ...s, latencyMs: s.latencyMs + 20 } : s));
    expect(compareJournals(before, bit, { tolerance: 0.1 }).regressions).toEqual([]);
  });

  it('compares a run with itself as unchanged', () => {
    const c = compareJournals(killSwitchJournal(), killSwitchJournal());
    expect(c.regressions).toEqual([]);
    expect(c.expectations.every((e) => e.change === 'same')).toBe(true);
    expect(c.drillChanged).toBe(false);
  });

  it('marks expectations only one run has as new or gone, never as regressions', () => {
    const before = passedJournal();
    const after = structuredClone(before);
    after.expectations = after.expectations.filter((e) => e.metric !== 'recoversWithin');
    const c = compareJournals(before, after);
    expect(c.expectations.find((e) => e.key === 'recovery/api-health/recoversWithin')).toMatchObject({ change: 'gone', regression: false });
    expect(compareJournals(after, before).expectations.find((e) => e.key === 'recovery/api-health/recoversWithin')?.change).toBe('new');
  });
});
