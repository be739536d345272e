/** Threshold comparisons for verdicts, tolerant of float noise in shares. */
import { meets, type Threshold } from '../drill/threshold.js';

// shares are stored as v / 100, so "99.9%" is 0.9990000000000001 while 999 / 1000 is 0.999
const SHARE_EPSILON = 1e-12;

/** True when two shares are equal up to float noise. */
export function sameShare(a: number, b: number): boolean {
  return Math.abs(a - b) <= SHARE_EPSILON;
}

/** `meets()`, except that a share within float noise of the limit counts as exactly at it. */
export function passes(actual: number, t: Pick<Threshold, 'op' | 'value' | 'unit'>): boolean {
  if (t.unit === '%' && sameShare(actual, t.value)) return t.op === '>=' || t.op === '<=' || t.op === '==';
  return meets(actual, t);
}

/** True when `rate` is below `limit` by more than float noise. */
export function shareBelow(rate: number, limit: number): boolean {
  return rate < limit && !sameShare(rate, limit);
}
