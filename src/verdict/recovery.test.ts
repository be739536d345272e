import { describe, expect, it } from 'vitest';
import type { Sample } from '../journal/types.js';
import { findRecovery } from './recovery.js';

/** `o` ok, `x` failed; one sample per second from t = 0 */
function series(pattern: string): Sample[] {
  return [...pattern].map((c, i) => ({ probe: 'api', t: i * 1000, phase: 'recovery', ok: c === 'o', latencyMs: 10 }));
}

describe('findRecovery', () => {
  it('finds the first of three ok samples in a row and the failure before it', () => {
    const r = findRecovery(series('xxoxooox'));
    expect(r?.at.t).toBe(4000);
    expect(r?.streak).toBe(3);
    expect(r?.lastFailure?.t).toBe(3000);
  });

  it('counts a healthy start without a failure', () => {
    const r = findRecovery(series('ooo'));
    expect(r?.at.t).toBe(0);
    expect(r?.lastFailure).toBeUndefined();
  });

  it('accepts fewer than three at the end when all remaining samples are ok', () => {
    expect(findRecovery(series('xxoo'))).toMatchObject({ at: { t: 2000 }, streak: 2 });
    expect(findRecovery(series('xo'))).toMatchObject({ at: { t: 1000 }, streak: 1 });
  });

  it('does not recover when the data ends on a failure without a healthy streak', () => {
    expect(findRecovery(series('xooxoox'))).toBeUndefined();
    expect(findRecovery(series('x'))).toBeUndefined();
    expect(findRecovery([])).toBeUndefined();
  });
});
