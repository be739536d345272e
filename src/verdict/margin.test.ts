import { describe, expect, it } from 'vitest';
import { countMargin, durationMargin, thresholdMargin } from './margin.js';

describe('thresholdMargin', () => {
  it('measures a success rate against the error budget left', () => {
    expect(thresholdMargin(0.995, { op: '>=', value: 0.99, unit: '%' }, true)).toBeCloseTo(0.5, 9);
    expect(thresholdMargin(0.975, { op: '>=', value: 0.99, unit: '%' }, false)).toBeCloseTo(-1.5, 9);
  });

  it('measures an upper limit as the share of the limit left', () => {
    expect(thresholdMargin(600, { op: '<', value: 800, unit: 'ms' }, true)).toBe(0.25);
    expect(thresholdMargin(1000, { op: '<=', value: 800, unit: 'ms' }, false)).toBe(-0.25);
  });

  it('gives 0 when met exactly at the limit and when a zero-budget limit is met', () => {
    expect(thresholdMargin(800, { op: '<=', value: 800, unit: 'ms' }, true)).toBe(0);
    expect(thresholdMargin(1, { op: '>=', value: 1, unit: '%' }, true)).toBe(0);
  });

  it('gives -1 when a zero-budget limit is missed', () => {
    expect(thresholdMargin(0.9, { op: '>=', value: 1, unit: '%' }, false)).toBe(-1);
  });

  it('never reports a negative margin for a result that passed within float noise', () => {
    expect(thresholdMargin(0.999, { op: '>=', value: 99.9 / 100, unit: '%' }, true)).toBe(0);
  });
});

describe('countMargin', () => {
  it('divides by the limit, or by 1 when the limit is 0', () => {
    expect(countMargin(1, 4)).toBe(0.75);
    expect(countMargin(3, 2)).toBe(-0.5);
    expect(countMargin(0, 0)).toBe(0);
    expect(countMargin(2, 0)).toBe(-2);
  });
});

describe('durationMargin', () => {
  it('is the share of the allowed time left', () => {
    expect(durationMargin(3100, 10_000)).toBeCloseTo(0.69, 9);
    expect(durationMargin(12_000, 10_000)).toBeCloseTo(-0.2, 9);
    expect(durationMargin(0, 0)).toBe(0);
    expect(durationMargin(5, 0)).toBe(-1);
  });
});
