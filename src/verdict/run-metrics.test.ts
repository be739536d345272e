import { describe, expect, it } from 'vitest';
import type { Sample } from '../journal/types.js';
import { computeRunMetrics } from './run-metrics.js';

/** `o` ok, `x` failed; one sample per second from `startT` */
function series(probe: string, startT: number, pattern: string): Sample[] {
  return [...pattern].map((c, i) => ({ probe, t: startT + i * 1000, phase: 'fault', ok: c === 'o', latencyMs: 20 }));
}

describe('computeRunMetrics: timeToDetectMs', () => {
  it('is the end of the first failure of any probe at or after injection (when the failure was known)', () => {
    const samples = [...series('api', 0, 'oooooxx'), ...series('db', 500, 'ooooxoo')];
    expect(computeRunMetrics({ samples, firstInjectT: 3000 }).timeToDetectMs).toBe(1520);
  });

  it('ignores failures before injection and counts one that starts exactly at it', () => {
    expect(computeRunMetrics({ samples: series('api', 0, 'xooxo'), firstInjectT: 1000 }).timeToDetectMs).toBe(2020);
    expect(computeRunMetrics({ samples: series('api', 0, 'oxo'), firstInjectT: 1000 }).timeToDetectMs).toBe(20);
  });

  it('counts a slow failing check to its end: a later, faster failure can be known first', () => {
    const slow: Sample = { probe: 'api', t: 1000, phase: 'fault', ok: false, latencyMs: 534, error: 'timeout after 534ms' };
    expect(computeRunMetrics({ samples: [slow], firstInjectT: 1000 }).timeToDetectMs).toBe(534);
    const fast: Sample = { probe: 'db', t: 1200, phase: 'fault', ok: false, latencyMs: 10, error: 'refused' };
    expect(computeRunMetrics({ samples: [slow, fast], firstInjectT: 1000 }).timeToDetectMs).toBe(210);
  });

  it('finds the earliest failure even when samples arrive out of order', () => {
    const samples = series('api', 0, 'ooxxo').reverse();
    expect(computeRunMetrics({ samples, firstInjectT: 0 }).timeToDetectMs).toBe(2020);
  });

  it('is null when nothing failed or nothing was injected', () => {
    expect(computeRunMetrics({ samples: series('api', 0, 'ooo'), firstInjectT: 0 }).timeToDetectMs).toBeNull();
    expect(computeRunMetrics({ samples: series('api', 0, 'xxx') }).timeToDetectMs).toBeNull();
    expect(computeRunMetrics({ samples: [], firstInjectT: 0 }).timeToDetectMs).toBeNull();
  });
});

describe('computeRunMetrics: timeToRecoverMs', () => {
  it('takes the slowest of the probes that failed after injection', () => {
    const samples = [
      ...series('api', 0, 'ooxxxxoooo'), // revert at 5000: first of three ok at 6000
      ...series('db', 500, 'ooxxxxxxooo'), // first of three ok at 8500
      ...series('cache', 0, 'ooooooooooo'),
    ];
    expect(computeRunMetrics({ samples, firstInjectT: 2000, lastRevertT: 5000 }).timeToRecoverMs).toBe(3500);
  });

  it('is 0 when nothing failed after injection', () => {
    const samples = series('api', 0, 'xooooo');
    expect(computeRunMetrics({ samples, firstInjectT: 1000, lastRevertT: 3000 }).timeToRecoverMs).toBe(0);
  });

  it('is null when a probe that failed never gets three ok samples in a row', () => {
    const samples = [...series('api', 0, 'ooxxooo'), ...series('db', 0, 'ooxxoxox')];
    expect(computeRunMetrics({ samples, firstInjectT: 2000, lastRevertT: 4000 }).timeToRecoverMs).toBeNull();
  });

  it('is null when a probe failed and there are no samples after the revert', () => {
    expect(computeRunMetrics({ samples: series('api', 0, 'oxx'), firstInjectT: 0, lastRevertT: 5000 }).timeToRecoverMs).toBeNull();
  });

  it('is null when probes failed and the faults were never reverted', () => {
    expect(computeRunMetrics({ samples: series('api', 0, 'oxxooo'), firstInjectT: 0 }).timeToRecoverMs).toBeNull();
  });

  it('counts a short all-ok tail at the end of the run as recovered', () => {
    const samples = series('api', 0, 'oxxxoo');
    expect(computeRunMetrics({ samples, firstInjectT: 0, lastRevertT: 3500 }).timeToRecoverMs).toBe(500);
  });
});

describe('computeRunMetrics: revertDurationMs', () => {
  it('is the time from the start of reverting to the last undo', () => {
    expect(computeRunMetrics({ samples: [], revertStartT: 20_000, lastRevertT: 20_350 }).revertDurationMs).toBe(350);
  });

  it('is null without both times', () => {
    expect(computeRunMetrics({ samples: [], lastRevertT: 20_350 }).revertDurationMs).toBeNull();
    expect(computeRunMetrics({ samples: [], revertStartT: 20_000 }).revertDurationMs).toBeNull();
  });
});
