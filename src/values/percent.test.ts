import { describe, expect, it } from 'vitest';
import { formatPercent } from './percent.js';

describe('formatPercent', () => {
  it('writes shares with at most one decimal when that is enough', () => {
    expect(formatPercent(0.975)).toBe('97.5%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.9)).toBe('90%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
  });

  it('never shows a partial share as 100% or 0%', () => {
    expect(formatPercent(9999 / 10000)).toBe('99.99%');
    expect(formatPercent(1 / 100_000)).toBe('0.001%');
    expect(formatPercent(1 - 1e-9)).toBe('>99.9999%');
  });
});
