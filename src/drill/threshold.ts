import { parseDurationMs } from './duration.js';

/** A comparison written in the drill, e.g. `>= 99%` or `< 800ms`. */
export interface Threshold {
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
  /** `%` values are stored as fractions (0.99); `ms` values as milliseconds; `` plain numbers. */
  unit: '%' | 'ms' | '';
  text: string;
}

const RE = /^\s*(<=|>=|==|<|>)\s*(.+?)\s*$/;

/** Parses a threshold; `unitKind` says what the field measures. */
export function parseThreshold(text: string, unitKind: 'percent' | 'duration' | 'number'): Threshold | undefined {
  const m = RE.exec(text);
  if (!m) return undefined;
  const op = m[1] as Threshold['op'];
  const raw = m[2] as string;
  if (unitKind === 'percent') {
    const p = /^(\d+(?:\.\d+)?)\s*%$/.exec(raw);
    if (!p) return undefined;
    const v = Number(p[1]);
    if (v > 100) return undefined;
    return { op, value: Number((v / 100).toPrecision(12)), unit: '%', text: text.trim() };
  }
  if (unitKind === 'duration') {
    const ms = parseDurationMs(raw);
    return ms === undefined ? undefined : { op, value: ms, unit: 'ms', text: text.trim() };
  }
  const n = Number(raw);
  return Number.isFinite(n) && raw !== '' ? { op, value: n, unit: '', text: text.trim() } : undefined;
}

/** True when `actual` satisfies the threshold. */
export function meets(actual: number, t: Pick<Threshold, 'op' | 'value'>): boolean {
  switch (t.op) {
    case '<': return actual < t.value;
    case '<=': return actual <= t.value;
    case '>': return actual > t.value;
    case '>=': return actual >= t.value;
    case '==': return actual === t.value;
  }
}

/**
 * How much room was left before the limit, as a share of the limit (0.08 = 8 % away).
 * Negative when the threshold was missed. Used to flag near misses.
 */
export function marginShare(actual: number, t: Pick<Threshold, 'op' | 'value'>): number {
  if (t.value === 0) return meets(actual, t) ? 1 : -1;
  const lowerIsBetter = t.op === '<' || t.op === '<=';
  const diff = lowerIsBetter ? t.value - actual : actual - t.value;
  return diff / Math.abs(t.value);
}
