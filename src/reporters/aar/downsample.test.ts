import { describe, expect, it } from 'vitest';
import { minMaxBuckets, type Point } from './downsample.js';

function series(n: number, at: (i: number) => Partial<Point> = () => ({})): Point[] {
  return Array.from({ length: n }, (_, i) => ({ t: i * 1000, y: 10 + (i % 7), ok: true, ...at(i) }));
}

describe('minMaxBuckets', () => {
  it('keeps every point when there are few enough', () => {
    const points = series(50);
    expect(minMaxBuckets(points, 100)).toEqual(points);
  });

  it('reduces a long series to at most three points per bucket (a third as many buckets as points), in time order', () => {
    const kept = minMaxBuckets(series(3600), 600);
    expect(kept.length).toBeLessThanOrEqual(600);
    expect(kept.length).toBeGreaterThan(200);
    expect(kept.every((p, i) => i === 0 || (kept[i - 1]?.t ?? 0) < p.t)).toBe(true);
  });

  it('never loses a latency peak or a dip', () => {
    const kept = minMaxBuckets(series(3600, (i) => (i === 1234 ? { y: 9000 } : i === 2345 ? { y: 1 } : {})), 200);
    expect(kept.some((p) => p.y === 9000 && p.t === 1_234_000)).toBe(true);
    expect(kept.some((p) => p.y === 1)).toBe(true);
  });

  it('keeps a failed sample from every bucket that has one, even a fast failure', () => {
    const failing = new Set([100, 1700, 3599]);
    const kept = minMaxBuckets(series(3600, (i) => (failing.has(i) ? { ok: false, y: 12 } : {})), 120);
    expect(kept.filter((p) => !p.ok).map((p) => p.t / 1000)).toEqual([100, 1700, 3599]);
  });
});
