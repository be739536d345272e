import { describe, expect, it } from 'vitest';
import type { Drill } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { checkSteadyState } from './steady-state.js';

function drillWith(probes: number): Drill {
  const names = Array.from({ length: probes }, (_, i) => [`p${i}`, { interval: 100 }]);
  return { probes: Object.fromEntries(names), expect: { baseline: [], fault: [], recovery: [] } } as unknown as Drill;
}

function failing(probe: string, error: string): Sample {
  return { probe, t: 10, phase: 'preflight', ok: false, latencyMs: 1, error };
}

describe('checkSteadyState', () => {
  it('lists a few failing probes in full', () => {
    const r = checkSteadyState(drillWith(3), [failing('p0', 'connect ECONNREFUSED 127.0.0.1:1'), { probe: 'p1', t: 10, phase: 'preflight', ok: true, latencyMs: 1 }]);
    expect(r.holds).toBe(false);
    expect(r.summary).toBe(
      'probe p0: 0 of 1 checks ok during preflight (needs 100 %), last error: connect ECONNREFUSED 127.0.0.1:1; probe p2 produced no result during preflight',
    );
  });

  it('refuses 100 failing probes briefly, grouped by error, and keeps every probe for the journal', () => {
    const samples = Array.from({ length: 100 }, (_, i) => failing(`p${i}`, i < 90 ? 'connect ECONNREFUSED 127.0.0.1:1' : `timed out after 300ms ${'x'.repeat(300)}`));
    const r = checkSteadyState(drillWith(100), samples);
    expect(r.problems).toHaveLength(100);
    expect(r.summary.length).toBeLessThan(600);
    expect(r.summary).toMatch(/^100 of 100 probes failed their preflight checks: p0, p1, p2, p3 and 86 more: last error: connect ECONNREFUSED 127\.0\.0\.1:1; p90, p91, p92, p93 and 6 more: last error: timed out/);
    expect(r.summary).toContain('…');
  });

  it('counts probes beyond the groups it shows', () => {
    const samples = Array.from({ length: 6 }, (_, i) => failing(`p${i}`, `error ${i}`));
    const r = checkSteadyState(drillWith(6), samples);
    expect(r.summary).toContain('; 3 more failing in other ways');
  });

  it('holds when every probe answered as the baseline asks', () => {
    const r = checkSteadyState(drillWith(1), [{ probe: 'p0', t: 10, phase: 'preflight', ok: true, latencyMs: 1 }]);
    expect(r).toMatchObject({ holds: true, problems: [], summary: '' });
  });
});
