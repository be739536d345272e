/**
 * How far a result stayed from its limit, as a share (0.08 = 8 % of the room left). Negative when
 * missed. A limit that leaves no room at all (`>= 100%`, `recoversWithin 0s`) gives 0 when met (one
 * more failure would miss it, as `maxConsecutiveFailures: 0` with none gives) and -1 when missed.
 */
import type { Threshold } from '../drill/threshold.js';

/**
 * Margin for a threshold; success rates are measured against the error budget (1 − limit). An
 * equality has no room to measure: held exactly is simply held (null, never a near miss), missed is -1.
 */
export function thresholdMargin(actual: number, t: Pick<Threshold, 'op' | 'value' | 'unit'>, ok: boolean): number | null {
  switch (t.op) {
    case '<':
    case '<=':
      return settle(t.value === 0 ? undefined : (t.value - actual) / t.value, ok);
    case '>':
    case '>=': {
      const room = t.unit === '%' ? 1 - t.value : t.value;
      return settle(room <= 0 ? undefined : (actual - t.value) / room, ok);
    }
    case '==':
      return ok ? null : -1;
  }
}

/** Margin for an upper limit on a count (`maxConsecutiveFailures`): (limit − actual) / max(limit, 1). */
export function countMargin(actual: number, limit: number): number {
  return (limit - actual) / Math.max(limit, 1);
}

/** Margin for an upper limit on a duration (`recoversWithin`). */
export function durationMargin(actualMs: number, limitMs: number): number {
  const ok = actualMs <= limitMs;
  return settle(limitMs <= 0 ? undefined : (limitMs - actualMs) / limitMs, ok);
}

function settle(margin: number | undefined, ok: boolean): number {
  if (margin === undefined) return ok ? 0 : -1;
  // a share within float noise of its limit passes (threshold-check.ts) but computes to -1e-14
  return ok ? Math.max(0, margin) : margin;
}
