/**
 * Min/max bucket downsampling for charts: a long drill has far more samples than a chart has
 * pixels, so each time bucket keeps only its lowest and highest point and its worst failure.
 * Peaks, dips and every failing bucket survive; the shape of the line does not change where it matters.
 */

export interface Point {
  t: number;
  /** the plotted value; null (a probe that read nothing) ranks below every number */
  y: number | null;
  ok: boolean;
}

/** Points read by position, in time order (a probe's columns): no object per point. */
export interface PointSeries {
  readonly length: number;
  t(i: number): number;
  y(i: number): number | null;
  ok(i: number): boolean;
}

/** The points to plot, in time order: all of them when there are at most `maxPoints`, else the extremes of each of `maxPoints / 3` buckets. */
export function minMaxBuckets<P extends Point>(points: readonly P[], maxPoints: number): P[] {
  const series: PointSeries = { length: points.length, t: (i) => (points[i] as P).t, y: (i) => (points[i] as P).y, ok: (i) => (points[i] as P).ok };
  return minMaxBucketIndexes(series, maxPoints).map((i) => points[i] as P);
}

/** minMaxBuckets by position: the positions of the points to plot, in time order. */
export function minMaxBucketIndexes(series: PointSeries, maxPoints: number): number[] {
  const n = series.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const rank = (i: number) => series.y(i) ?? Number.NEGATIVE_INFINITY;
  const firstT = series.t(0);
  // up to three points per bucket: lowest, highest, worst failure
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const span = Math.max(1, series.t(n - 1) - firstT);
  const kept: number[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < n; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : firstT + ((b + 1) * span) / buckets;
    let lo = -1;
    let hi = -1;
    let worstFailed = -1;
    for (; i < n; i++) {
      if (series.t(i) >= end) break;
      if (lo < 0 || rank(i) < rank(lo)) lo = i;
      if (hi < 0 || rank(i) > rank(hi)) hi = i;
      if (!series.ok(i) && (worstFailed < 0 || rank(i) > rank(worstFailed))) worstFailed = i;
    }
    const chosen = new Set<number>();
    for (const p of [lo, hi, worstFailed]) if (p >= 0) chosen.add(p);
    // stable: on equal times in the order lowest, highest, worst failure
    kept.push(...[...chosen].sort((x, y) => series.t(x) - series.t(y)));
  }
  return kept;
}
