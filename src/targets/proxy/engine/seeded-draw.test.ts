import { describe, expect, it } from 'vitest';
import { drawChance, drawUnit, seededRandom } from './seeded-draw.js';

describe('seeded draws', () => {
  it('replays the same decisions for the same seed, key and index', () => {
    const a = Array.from({ length: 50 }, (_, i) => drawUnit(7, 'latency#0', i));
    const b = Array.from({ length: 50 }, (_, i) => drawUnit(7, 'latency#0', i));
    expect(a).toEqual(b);
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => drawUnit(8, 'latency#0', i)));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => drawUnit(7, 'latency#1', i)));
  });

  it('hits a share within binomial bounds', () => {
    const n = 10_000;
    const hits = Array.from({ length: n }, (_, i) => drawChance(0.25, 123, 'abort', 1, i)).filter(Boolean).length;
    const sd = Math.sqrt(n * 0.25 * 0.75);
    expect(Math.abs(hits - n * 0.25)).toBeLessThan(4 * sd);
  });

  it('never fires at 0% and always at 100%', () => {
    for (let i = 0; i < 1000; i++) {
      expect(drawChance(0, 1, 'k', i)).toBe(false);
      expect(drawChance(1, 1, 'k', i)).toBe(true);
    }
  });

  it('gives independent streams per index', () => {
    const r1 = seededRandom(1, 'slicer', 1, 0);
    const r2 = seededRandom(1, 'slicer', 2, 0);
    const xs = Array.from({ length: 5 }, r1);
    expect(xs).not.toEqual(Array.from({ length: 5 }, r2));
    xs.forEach((x) => expect(x >= 0 && x < 1).toBe(true));
  });
});
