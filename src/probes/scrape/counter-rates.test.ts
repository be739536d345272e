import { describe, expect, it } from 'vitest';
import { RateTracker, seriesKey } from './counter-rates.js';

const s = (value: number, labels: Record<string, string> = {}) => ({ labels, value });

describe('RateTracker', () => {
  it('has no rate on the first scrape, then the per-second increase', () => {
    const r = new RateTracker();
    expect(r.rates([s(10)], 0, true)).toBeUndefined();
    expect(r.rates([s(30)], 2000, true)).toEqual([s(10)]);
  });

  it('counts a lower counter value as a restart from zero', () => {
    const r = new RateTracker();
    r.rates([s(100)], 0, true);
    expect(r.rates([s(4)], 1000, true)).toEqual([s(4)]);
  });

  it('counts a counter series seen for the first time from zero (created at its first increment)', () => {
    const r = new RateTracker();
    r.rates([s(5, { code: '200' })], 0, true);
    expect(r.rates([s(7, { code: '200' }), s(3, { code: '503' })], 1000, true)).toEqual([s(2, { code: '200' }), s(3, { code: '503' })]);
  });

  it('gives a gauge its plain change per second, only for series seen both times', () => {
    const r = new RateTracker();
    r.rates([s(10, { q: 'a' })], 0, false);
    expect(r.rates([s(4, { q: 'a' }), s(9, { q: 'b' })], 2000, false)).toEqual([s(-3, { q: 'a' })]);
  });

  it('matches series whatever order their labels were written in', () => {
    expect(seriesKey({ a: '1', b: '2' })).toBe(seriesKey({ b: '2', a: '1' }));
    const r = new RateTracker();
    r.rates([s(1, { a: '1', b: '2' })], 0, true);
    expect(r.rates([s(2, { b: '2', a: '1' })], 1000, true)?.[0]?.value).toBe(1);
  });
});
