import { describe, expect, it } from 'vitest';
import { drillSchema, expectationSchema, type DrillInput, type Expectation, type PhaseName } from '../drill/schema.js';
import type { PhaseRecord, Sample } from '../journal/types.js';
import { evaluateExpectation, evaluateExpectations, type PhaseWindow } from './expectations.js';

const exp = (input: Record<string, unknown>): Expectation => expectationSchema.parse({ probe: 'api', ...input });
const opts = { nearMissShare: 0.2 };

function sample(t: number, ok: boolean, extra: Partial<Sample> = {}): Sample {
  return { probe: 'api', t, phase: 'fault', ok, latencyMs: 50, ...extra };
}

/** `o` ok, `x` failed (`timeout after 1s`, 1000ms); one sample per second from `startT` */
function series(startT: number, pattern: string, probe = 'api'): Sample[] {
  return [...pattern].map((c, i) =>
    c === 'o'
      ? sample(startT + i * 1000, true, { probe })
      : sample(startT + i * 1000, false, { probe, latencyMs: 1000, error: 'timeout after 1s' }),
  );
}

const fault: PhaseWindow = { name: 'fault', startT: 10_000, endT: 50_000 };

describe('evaluateExpectation: successRate', () => {
  it('reports rate, counts and the single failure when the rate misses', () => {
    const samples = series(10_000, 'o'.repeat(40));
    samples[2] = sample(12_300, false, { latencyMs: 1000, error: 'timeout after 1s' });
    const r = evaluateExpectation(exp({ successRate: '>= 99%' }), fault, samples, opts);
    expect(r).toMatchObject({
      phase: 'fault',
      probe: 'api',
      metric: 'successRate',
      description: 'successRate >= 99%',
      expected: '>= 99%',
      actual: 0.975,
      actualText: '97.5% (39/40)',
      ok: false,
      nearMiss: false,
      evidence: { samples: 40, failures: 1, worst: { t: 12_300, ok: false, latencyMs: 1000, error: 'timeout after 1s' } },
    });
    expect(r.margin).toBeCloseTo(-1.5, 9);
    expect(r.evidence.note).toBe('39 of 40 ok; the failure: timeout after 1s at +12.3s');
  });

  it('passes exactly at the limit as a near miss with no margin', () => {
    const samples = series(10_000, 'x' + 'o'.repeat(99)).map((s, i) => ({ ...s, t: 10_000 + i * 100 }));
    const r = evaluateExpectation(exp({ successRate: '>= 99%' }), fault, samples, opts);
    expect(r).toMatchObject({ ok: true, actual: 0.99, margin: 0, nearMiss: true });
  });

  it('passes 999 of 1000 against ">= 99.9%"', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => sample(10_000 + i * 10, i !== 500));
    const r = evaluateExpectation(exp({ successRate: '>= 99.9%' }), fault, samples, opts);
    expect(r.ok).toBe(true);
    expect(r.actualText).toBe('99.9% (999/1000)');
  });

  it('flags a near miss only when less than nearMissShare of the error budget is left', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => sample(10_000 + i * 10, i % 200 !== 0));
    const e = exp({ successRate: '>= 99%' });
    const loose = evaluateExpectation(e, fault, samples, { nearMissShare: 0.2 });
    expect(loose).toMatchObject({ ok: true, actual: 0.995, nearMiss: false });
    expect(loose.margin).toBeCloseTo(0.5, 9);
    expect(evaluateExpectation(e, fault, samples, { nearMissShare: 0.6 }).nearMiss).toBe(true);
  });

  it('lists the first failure and groups all failures when there are several', () => {
    const samples = series(10_000, 'oxoxo');
    samples[3] = sample(13_000, false, { status: 503 });
    const r = evaluateExpectation(exp({ successRate: '>= 90%' }), fault, samples, opts);
    expect(r.evidence.note).toBe('3 of 5 ok; first failure: timeout after 1s at +11s; failures: timeout after 1s, status 503');
    expect(r.evidence.worst?.t).toBe(11_000);
  });

  it('uses only its own probe and samples with startT <= t < endT', () => {
    const samples = [
      sample(9_999, false),
      sample(10_000, true),
      sample(49_999, true),
      sample(50_000, false),
      sample(20_000, false, { probe: 'db' }),
    ];
    const r = evaluateExpectation(exp({ successRate: '>= 100%' }), fault, samples, opts);
    expect(r).toMatchObject({ ok: true, actualText: '100% (2/2)', evidence: { samples: 2, failures: 0 } });
    expect(r.evidence.worst).toBeUndefined();
  });

  it('says "no data" and fails without samples in the window', () => {
    const r = evaluateExpectation(exp({ successRate: '>= 99%' }), fault, [sample(5_000, true)], opts);
    expect(r).toMatchObject({ ok: false, actual: null, actualText: 'no data', margin: null, nearMiss: false });
    expect(r.evidence).toEqual({ samples: 0, failures: 0, note: 'no samples of api in the fault phase (+10s to +50s)' });
  });
});

describe('evaluateExpectation: latency', () => {
  // 18 fast samples, one at 700ms, one timeout at 1000ms
  const samples = [
    ...Array.from({ length: 18 }, (_, i) => sample(10_000 + i * 1000, true, { latencyMs: 100 })),
    sample(30_000, true, { latencyMs: 700 }),
    sample(31_000, false, { latencyMs: 1000, error: 'timeout after 1s' }),
  ];

  it('takes p95 over all samples by nearest rank and names the slowest one', () => {
    const r = evaluateExpectation(exp({ latencyP95: '< 800ms' }), fault, samples, opts);
    expect(r).toMatchObject({ metric: 'latencyP95', description: 'latencyP95 < 800ms', expected: '< 800ms', actual: 700, actualText: '700ms', ok: true });
    expect(r.margin).toBeCloseTo(0.125, 9);
    expect(r.nearMiss).toBe(true);
    expect(r.evidence.worst).toEqual({ t: 31_000, ok: false, latencyMs: 1000, error: 'timeout after 1s' });
    expect(r.evidence.note).toBe(
      'p95 of 20 samples: 700ms; slowest 1s at +31s (timeout after 1s); 1 failed sample counted with their latency',
    );
  });

  it('counts a timed-out sample with its latency', () => {
    const r = evaluateExpectation(exp({ latencyMax: '< 1s' }), fault, samples, opts);
    expect(r).toMatchObject({ actual: 1000, actualText: '1s', ok: false, margin: 0 });
    expect(evaluateExpectation(exp({ latencyMax: '<= 1s' }), fault, samples, opts)).toMatchObject({ ok: true, margin: 0, nearMiss: true });
  });

  it('computes p50 and p99', () => {
    expect(evaluateExpectation(exp({ latencyP50: '< 200ms' }), fault, samples, opts)).toMatchObject({ actual: 100, ok: true });
    expect(evaluateExpectation(exp({ latencyP99: '< 1s' }), fault, samples, opts)).toMatchObject({ actual: 1000, ok: false });
  });

  it('writes seconds for slow results', () => {
    const r = evaluateExpectation(exp({ latencyP95: '< 800ms' }), fault, [sample(10_000, true, { latencyMs: 1200 })], opts);
    expect(r).toMatchObject({ actualText: '1.2s', ok: false });
    expect(r.margin).toBeCloseTo(-0.5, 9);
  });
});

describe('evaluateExpectation: maxConsecutiveFailures', () => {
  it('finds the longest streak and points at the first failure', () => {
    const r = evaluateExpectation(exp({ maxConsecutiveFailures: 2 }), fault, series(10_000, 'ooxxoxxxo'), opts);
    expect(r).toMatchObject({
      description: 'maxConsecutiveFailures <= 2',
      expected: '<= 2',
      actual: 3,
      actualText: '3 in a row',
      ok: false,
      margin: -0.5,
      evidence: { samples: 9, failures: 5, worst: { t: 12_000 } },
    });
    expect(r.evidence.note).toBe('longest streak: 3 failures from +15s to +17s (timeout after 1s ×3); 4 of 9 ok');
  });

  it('restarts the streak after a success', () => {
    const r = evaluateExpectation(exp({ maxConsecutiveFailures: 2 }), fault, series(10_000, 'xxoxx'), opts);
    expect(r).toMatchObject({ actual: 2, ok: true, margin: 0, nearMiss: true });
  });

  it('counts a streak that runs to the end of the window', () => {
    expect(evaluateExpectation(exp({ maxConsecutiveFailures: 5 }), fault, series(10_000, 'oxxxx'), opts).actual).toBe(4);
  });

  it('passes with no failures at all', () => {
    const r = evaluateExpectation(exp({ maxConsecutiveFailures: 0 }), fault, series(10_000, 'ooo'), opts);
    expect(r).toMatchObject({ actual: 0, actualText: 'no failures', ok: true, margin: 0, evidence: { note: '3 of 3 ok' } });
  });

  it('sorts samples by start time before looking for streaks', () => {
    const shuffled = series(10_000, 'xoxo').reverse();
    expect(evaluateExpectation(exp({ maxConsecutiveFailures: 1 }), fault, shuffled, opts)).toMatchObject({ actual: 1, ok: true });
  });
});

describe('evaluateExpectation: recoversWithin', () => {
  const recovery: PhaseWindow = { name: 'recovery', startT: 30_050, endT: 60_050 };

  it('measures from the revert to the first of three ok samples', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '10s' }), recovery, series(30_100, 'xxxooo'), { ...opts, lastRevertT: 30_000 });
    expect(r).toMatchObject({
      metric: 'recoversWithin',
      description: 'recoversWithin 10s',
      expected: 'within 10s',
      actual: 3100,
      actualText: '3.1s after revert',
      ok: true,
      nearMiss: false,
      evidence: { samples: 6, failures: 3, worst: { t: 32_100, ok: false } },
    });
    expect(r.margin).toBeCloseTo(0.69, 9);
    expect(r.evidence.note).toBe(
      'first of 3 ok samples in a row at +33.1s, revert at +30s; last failure before it: timeout after 1s at +32.1s',
    );
  });

  it('measures from the phase start when no revert time is known', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '10s' }), recovery, series(31_050, 'xooo'), opts);
    expect(r).toMatchObject({ actual: 2000, actualText: '2s after phase start', ok: true });
  });

  it('ignores samples that started before the revert', () => {
    const samples = [...series(30_050, 'ooo'), ...series(35_000, 'xooo')];
    const r = evaluateExpectation(exp({ recoversWithin: '10s' }), recovery, samples, { ...opts, lastRevertT: 34_000 });
    expect(r.actual).toBe(2000);
  });

  it('accepts fewer than three ok samples when they are all that is left', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '30s' }), recovery, series(50_050, 'xxoxoo'), { ...opts, lastRevertT: 30_000 });
    expect(r).toMatchObject({ actual: 24_050, ok: true, evidence: { worst: { t: 53_050 } } });
    expect(r.evidence.note).toContain('ok from +54s to the end of the phase (2 samples)');
  });

  it('fails without a number when the probe never recovers in the window', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '10s' }), recovery, series(30_100, 'xxooxoox'), { ...opts, lastRevertT: 30_000 });
    expect(r).toMatchObject({
      actual: null,
      actualText: 'did not recover within the recovery phase (30s)',
      ok: false,
      margin: null,
      nearMiss: false,
      evidence: { worst: { t: 37_100 } },
    });
    expect(r.evidence.note).toBe(
      'no 3 ok samples in a row after the revert at +30s; 4 of 8 ok since; last failure: timeout after 1s at +37.1s',
    );
  });

  it('fails with a negative margin when it recovers later than allowed', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '2s' }), recovery, series(30_100, 'xxxooo'), { ...opts, lastRevertT: 30_000 });
    expect(r).toMatchObject({ actual: 3100, ok: false, nearMiss: false });
    expect(r.margin).toBeCloseTo(-0.55, 9);
  });

  it('recovers at the first sample when nothing failed after the revert', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '5s' }), recovery, series(30_500, 'ooo'), { ...opts, lastRevertT: 30_000 });
    expect(r).toMatchObject({ actual: 500, ok: true });
    expect(r.evidence.worst).toBeUndefined();
    expect(r.evidence.note).toContain('no failure after the revert');
  });

  it('does not recover when every sample started before the revert', () => {
    const r = evaluateExpectation(exp({ recoversWithin: '5s' }), recovery, series(30_050, 'ooo'), { ...opts, lastRevertT: 59_000 });
    expect(r).toMatchObject({ actual: null, ok: false, evidence: { samples: 3, note: 'no samples after the revert at +59s' } });
  });
});

// ---------------------------------------------------------------------------------------------

function drill(expect: DrillInput['expect']) {
  return drillSchema.parse({
    apiVersion: 'firedrill/v1',
    name: 'verdict test',
    targets: { api: { process: { match: 'api' } } },
    blastRadius: { target: 'api' },
    faults: [{ type: 'process-pause', target: 'api', duration: '10s' }],
    probes: { api: { http: { url: 'http://127.0.0.1:8080/health' } } },
    expect,
  } satisfies DrillInput);
}

const phase = (name: PhaseName, startT: number, endT: number | undefined, plannedMs: number): PhaseRecord =>
  endT === undefined ? { name, startT, plannedMs } : { name, startT, endT, plannedMs };

describe('evaluateExpectations', () => {
  const d = drill({
    recovery: [{ probe: 'api', recoversWithin: '10s' }],
    baseline: [{ probe: 'api', successRate: '>= 99%' }],
    fault: [{ probe: 'api', maxConsecutiveFailures: 3 }, { probe: 'api', latencyP95: '< 2s' }],
  });

  it('judges every expectation against its own phase, baseline then fault then recovery', () => {
    const phases = [phase('baseline', 0, 10_000, 10_000), phase('fault', 10_000, 20_000, 10_000), phase('recovery', 20_000, 50_000, 30_000)];
    const samples = [...series(0, 'oooooooooo'), ...series(10_000, 'oxxxxooooo'), ...series(20_500, 'xooo')];
    const results = evaluateExpectations(d, phases, samples, { nearMissShare: 0.1, lastRevertT: 20_000 });
    expect(results.map((r) => [r.phase, r.metric, r.ok])).toEqual([
      ['baseline', 'successRate', true],
      ['fault', 'maxConsecutiveFailures', false],
      ['fault', 'latencyP95', true],
      ['recovery', 'recoversWithin', true],
    ]);
    expect(results[3]?.actual).toBe(1500);
  });

  it('fails the expectations of a phase that never ran', () => {
    const phases = [phase('baseline', 0, 10_000, 10_000), phase('fault', 10_000, 12_000, 10_000)];
    const results = evaluateExpectations(d, phases, series(0, 'oooooooooooo'), { nearMissShare: 0.1 });
    const recovery = results.find((r) => r.phase === 'recovery');
    expect(recovery).toMatchObject({
      ok: false,
      actual: null,
      description: 'recoversWithin 10s',
      evidence: { samples: 0, failures: 0 },
    });
    expect(recovery?.evidence.note).toContain('phase did not run');
  });

  it('judges a phase that was cut short on the samples it collected and says so', () => {
    const phases = [phase('baseline', 0, 10_000, 10_000), phase('fault', 10_000, undefined, 10_000)];
    const results = evaluateExpectations(d, phases, [...series(0, 'oooooooooo'), ...series(10_000, 'oxxxxxxx')], { nearMissShare: 0.1 });
    const streak = results.find((r) => r.metric === 'maxConsecutiveFailures');
    expect(streak).toMatchObject({ ok: false, actual: 7, evidence: { samples: 8 } });
    expect(streak?.evidence.note).toContain('the fault phase did not finish (planned 10s)');
  });

  it('returns nothing for a drill without expectations', () => {
    expect(evaluateExpectations(drill({}), [], [], { nearMissShare: 0.1 })).toEqual([]);
  });
});
