import { describe, expect, it } from 'vitest';
import { expectationSchema, type Expectation } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { evaluateExpectation } from './expectations.js';

const exp = (input: Record<string, unknown>): Expectation => expectationSchema.parse({ probe: 'errors', ...input });
const phase = { name: 'fault' as const, startT: 0, endT: 10_000 };
const options = { nearMissShare: 0.1 };

function v(t: number, value: number, probe = 'errors'): Sample {
  return { probe, t, phase: 'fault', ok: true, latencyMs: 5, value, outcome: 'value' };
}
function blind(t: number, outcome: Sample['outcome'] = 'unreachable', probe = 'errors'): Sample {
  return { probe, t, phase: 'fault', ok: false, latencyMs: 1000, outcome, error: `${outcome}: x` };
}

describe('value expectations', () => {
  it('value: every sample must meet the threshold; the worst one is the evidence', () => {
    const samples = [v(0, 0.01), v(1000, 0.2), v(2000, 0.03), v(3000, 0.3)];
    const r = evaluateExpectation(exp({ value: '< 0.05' }), phase, samples, options);
    expect(r).toMatchObject({ metric: 'value', description: 'value < 0.05', expected: '< 0.05', ok: false, actual: 0.3, actualText: '0.3 (worst of 4)' });
    expect(r.evidence).toMatchObject({ samples: 4, failures: 2, worst: { t: 3000, value: 0.3 } });
    expect(r.evidence.note).toBe('4 values from 0.01 to 0.3; worst 0.3 at +3s; 2 outside < 0.05, the first at +1s');
  });

  it('value with an aggregate judges that one number', () => {
    const samples = [v(0, 0.01), v(1000, 0.2), v(2000, 0.03)];
    const avg = evaluateExpectation(exp({ value: '< 0.1', aggregate: 'avg' }), phase, samples, options);
    expect(avg).toMatchObject({ description: 'value avg < 0.1', ok: true, actualText: '0.08 (avg of 3)' });
    expect(avg.actual).toBeCloseTo(0.08);
    expect(evaluateExpectation(exp({ value: '< 0.1', aggregate: 'last' }), phase, samples, options)).toMatchObject({ ok: true, actual: 0.03 });
    expect(evaluateExpectation(exp({ value: '>= 0.02', aggregate: 'min' }), phase, samples, options)).toMatchObject({ ok: false, actual: 0.01 });
  });

  it('value: a lower bound takes the lowest sample as the worst, and flags a near miss', () => {
    const samples = [v(0, 105), v(1000, 101)];
    const r = evaluateExpectation(exp({ value: '>= 100' }), phase, samples, options);
    expect(r).toMatchObject({ ok: true, actual: 101, nearMiss: true });
  });

  it('value: an equality that held exactly is not a near miss; one that missed is a miss', () => {
    const held = evaluateExpectation(exp({ value: '== 1' }), phase, [v(0, 1), v(1000, 1)], options);
    expect(held).toMatchObject({ ok: true, actual: 1, nearMiss: false, margin: null });
    expect(evaluateExpectation(exp({ value: '== 1' }), phase, [v(0, 1), v(1000, 2)], options)).toMatchObject({ ok: false, nearMiss: false, margin: -1 });
  });

  it('valueBetween: every value within the range, the one nearest an edge is the worst', () => {
    const r = evaluateExpectation(exp({ valueBetween: [10, 100] }), phase, [v(0, 50), v(1000, 12), v(2000, 90)], options);
    expect(r).toMatchObject({ metric: 'valueBetween', description: 'valueBetween [10, 100]', ok: true, actual: 12 });
    const out = evaluateExpectation(exp({ valueBetween: [10, 100] }), phase, [v(0, 50), v(1000, 130)], options);
    expect(out).toMatchObject({ ok: false, actual: 130, evidence: { failures: 1 } });
  });

  it('counts samples without a value in the note but judges only values', () => {
    const r = evaluateExpectation(exp({ value: '< 1' }), phase, [v(0, 0.5), blind(1000), blind(2000), blind(3000, 'empty')], options);
    expect(r.ok).toBe(true);
    expect(r.evidence.note).toContain('3 samples without a value (unreachable ×2, empty)');
  });

  it('has no data when the phase holds no value at all', () => {
    const r = evaluateExpectation(exp({ value: '< 1' }), phase, [blind(0), blind(1000)], options);
    expect(r).toMatchObject({ ok: false, actual: null, actualText: 'no data' });
    expect(r.evidence.note).toContain('no values of errors in the fault phase');
  });

  it('errorRatio: mean of the errors probe over mean of the total probe', () => {
    const samples = [v(0, 0.5), v(1000, 1.5), v(0, 100, 'requests'), v(1000, 100, 'requests'), v(500, 9, 'other')];
    const r = evaluateExpectation(exp({ errorRatio: '<= 1%', total: 'requests' }), phase, samples, options);
    expect(r).toMatchObject({ metric: 'errorRatio', description: 'errorRatio <= 1% (of requests)', ok: true, actual: 0.01, actualText: '1% (1 / 100)' });
    const bad = evaluateExpectation(exp({ errorRatio: '< 0.5%', total: 'requests' }), phase, samples, options);
    expect(bad).toMatchObject({ ok: false, evidence: { worst: { value: 1.5 } } });
    expect(bad.evidence.note).toBe('mean of 2 values of errors: 1; mean of 2 values of requests: 100; highest errors 1.5 at +1s');
  });

  it('errorRatio without traffic has no data rather than a made-up ratio', () => {
    const r = evaluateExpectation(exp({ errorRatio: '< 1%', total: 'requests' }), phase, [v(0, 0), v(0, 0, 'requests')], options);
    expect(r).toMatchObject({ ok: false, actual: null });
    expect(r.evidence.note).toContain('no traffic');
  });
});

describe('value expectation schema', () => {
  it('needs total with errorRatio, a range low first, and aggregate only with a value', () => {
    expect(expectationSchema.safeParse({ probe: 'e', errorRatio: '< 1%' }).success).toBe(false);
    expect(expectationSchema.safeParse({ probe: 'e', valueBetween: [5, 1] }).success).toBe(false);
    expect(expectationSchema.safeParse({ probe: 'e', successRate: '>= 99%', aggregate: 'avg' }).success).toBe(false);
    expect(expectationSchema.safeParse({ probe: 'e', value: '< 1%' }).success).toBe(true);
  });
});
