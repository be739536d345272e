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

const rank = (p: Point) => p.y ?? Number.NEGATIVE_INFINITY;

/** The points to plot, in time order: all of them when there are at most `maxPoints`, else the extremes of each of `maxPoints / 3` buckets. */
export function minMaxBuckets<P extends Point>(points: readonly P[], maxPoints: number): P[] {
  if (points.length <= maxPoints) return [...points];
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return [];
  // up to three points per bucket: lowest, highest, worst failure
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const span = Math.max(1, last.t - first.t);
  const kept: P[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < points.length; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : first.t + ((b + 1) * span) / buckets;
    let lo: P | undefined;
    let hi: P | undefined;
    let worstFailed: P | undefined;
    for (; i < points.length; i++) {
      const p = points[i] as P;
      if (p.t >= end) break;
      if (!lo || rank(p) < rank(lo)) lo = p;
      if (!hi || rank(p) > rank(hi)) hi = p;
      if (!p.ok && (!worstFailed || rank(p) > rank(worstFailed))) worstFailed = p;
    }
    const chosen = new Set<P>();
    for (const p of [lo, hi, worstFailed]) if (p) chosen.add(p);
    kept.push(...[...chosen].sort((x, y) => x.t - y.t));
  }
  return kept;
}
