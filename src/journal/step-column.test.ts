import { describe, expect, it } from 'vitest';
import { StepColumn } from './step-column.js';

describe('a step column', () => {
  it('holds numbers on its step in 4 bytes each and gives back the very same doubles', () => {
    const column = new StepColumn(10, 4, 4);
    const times = [0, 0.1, 123456.7, 3_600_000.3];
    times.forEach((t, i) => column.set(i, t));
    expect(times.map((_, i) => column.at(i))).toEqual(times);
    expect(column.byteLength).toBe(16);
  });

  it('turns into Float64 for good at the first number off its step, keeping those before', () => {
    const column = new StepColumn(1000, 4, 4);
    column.set(0, 1.234);
    column.set(1, 1.2345);
    column.set(2, 7);
    expect([column.at(0), column.at(1), column.at(2)]).toEqual([1.234, 1.2345, 7]);
    expect(column.byteLength).toBe(32);
  });

  it('turns into Float64 for a negative number, one beyond its range, or one that is not finite', () => {
    for (const odd of [-1, 0xffff, 1e300, Infinity, 0.1 + 0.2]) {
      const column = new StepColumn(1, 2, 2);
      column.set(0, 200);
      column.set(1, odd);
      expect([column.at(0), column.at(1)]).toEqual([200, odd]);
    }
  });

  it('holds NaN as none, before and after it widened, and across a resize and a reorder', () => {
    const column = new StepColumn(1, 2, 3);
    column.set(1, 503);
    expect([column.at(0), column.at(1), column.at(2)]).toEqual([NaN, 503, NaN]);
    column.resize(5);
    column.set(4, 200);
    const picked = column.pick(Uint32Array.from([4, 1, 0]));
    expect([picked.at(0), picked.at(1), picked.at(2)]).toEqual([200, 503, NaN]);
    column.set(3, 2.5);
    column.resize(6);
    expect([0, 1, 2, 3, 4, 5].map((i) => column.at(i))).toEqual([NaN, 503, NaN, 2.5, 200, NaN]);
  });
});

describe('a widened step column', () => {
  it('reorders its Float64 numbers', () => {
    const column = new StepColumn(10, 4, 2);
    column.set(0, 0);
    column.set(1, 250.05);
    const picked = column.pick(Uint32Array.from([1, 0]));
    expect([picked.at(0), picked.at(1)]).toEqual([250.05, 0]);
  });
});
