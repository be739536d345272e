import { describe, expect, it } from 'vitest';
import { FiredrillError } from '../errors.js';
import { percentile } from './percentile.js';

const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('percentile', () => {
  it('is NaN when there are no values', () => {
    expect(percentile([], 95)).toBeNaN();
  });

  it('returns the only value for a single sample, whatever p', () => {
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 100)).toBe(42);
  });

  it('picks by nearest rank, always a measured value', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile(oneTo(20), 95)).toBe(19);
    expect(percentile(oneTo(100), 99)).toBe(99);
    expect(percentile([10, 20], 51)).toBe(20);
  });

  it('lands exactly on the rank when p × n is a whole number despite float percentages', () => {
    expect(percentile(oneTo(1000), 99.9)).toBe(999);
    expect(percentile(oneTo(10), 70)).toBe(7);
  });

  it('gives the minimum at p 0 and the maximum at p 100', () => {
    expect(percentile([5, 1, 9], 0)).toBe(1);
    expect(percentile([5, 1, 9], 100)).toBe(9);
  });

  it('sorts numerically without changing the input', () => {
    const values = [100, 9, 80, 7];
    expect(percentile(values, 50)).toBe(9);
    expect(values).toEqual([100, 9, 80, 7]);
  });

  it('refuses a p outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(FiredrillError);
    expect(() => percentile([1], -1)).toThrow(FiredrillError);
    expect(() => percentile([1], NaN)).toThrow(FiredrillError);
  });
});
