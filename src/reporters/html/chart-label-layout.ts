/**
 * Where the chart's text labels go (the moments of the run, the threshold labels, the phase names):
 * each label takes the first of its candidate places that lies inside the plot area and overlaps no
 * label placed before it. Inside the plot area means it cannot cover an axis' tick labels, which
 * uPlot draws outside it. Pure and ES2017: the chart script (browser/chart-script.ts) bundles it,
 * and the unit tests run it in Node.
 */

/** A rectangle in canvas pixels: left, top, width, height. */
export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Whether two boxes share any area (touching edges do not count). */
export function intersects(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Whether `inner` lies wholly inside `outer`. */
export function inside(inner: LabelBox, outer: LabelBox): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

function overlapArea(a: LabelBox, b: LabelBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** `box` moved the least distance that puts it inside `area` (when it fits at all). */
export function clampInto(box: LabelBox, area: LabelBox): LabelBox {
  const x = Math.min(Math.max(box.x, area.x), area.x + area.w - box.w);
  const y = Math.min(Math.max(box.y, area.y), area.y + area.h - box.h);
  return { x: Math.max(x, area.x), y: Math.max(y, area.y), w: box.w, h: box.h };
}

/**
 * Picks a place for a label and records it in `placed`: the first candidate inside `area` that
 * overlaps nothing placed; when every candidate collides (a crowded chart), the candidate moved
 * inside the area that overlaps the least. Never returns a box outside the area when it fits.
 */
export function placeLabel(candidates: readonly LabelBox[], placed: LabelBox[], area: LabelBox): LabelBox {
  let best: LabelBox | undefined;
  let bestOverlap = Infinity;
  for (const c of candidates) {
    const box = clampInto(c, area);
    const moved = box.x !== c.x || box.y !== c.y;
    let overlap = 0;
    for (const p of placed) overlap += overlapArea(box, p);
    if (!moved && overlap === 0) {
      placed.push(box);
      return box;
    }
    // a candidate that had to be moved is a fallback: it may now sit away from what it labels
    const score = overlap + (moved ? 0.5 : 0);
    if (score < bestOverlap) {
      best = box;
      bestOverlap = score;
    }
  }
  const chosen = best ?? clampInto({ x: area.x, y: area.y, w: 0, h: 0 }, area);
  placed.push(chosen);
  return chosen;
}

/**
 * Candidate places for the label of a vertical line at `x` (a moment of the run): to its right,
 * then to its left, row by row down from the top of the plot.
 */
export function markerCandidates(x: number, w: number, h: number, area: LabelBox, gap: number, rows: number): LabelBox[] {
  const out: LabelBox[] = [];
  for (let row = 0; row < rows; row++) {
    const y = area.y + gap + row * (h + gap);
    out.push({ x: x + gap, y, w, h }, { x: x - gap - w, y, w, h });
  }
  return out;
}

/**
 * Candidate places for the label of a horizontal threshold line at `y` from `x0` to `x1`: just above
 * its right end, just below it, then along the line to its left end, then a row further away
 * (above and below) at each of those places: a crowded chart still finds a free spot near the line.
 */
export function thresholdCandidates(x0: number, x1: number, y: number, w: number, h: number, gap: number): LabelBox[] {
  const out: LabelBox[] = [];
  const lefts: number[] = [x1 - gap - w];
  const room = x1 - x0 - w;
  const steps = Math.min(5, Math.max(0, Math.floor(room / (w + gap))));
  for (let i = 1; i <= steps; i++) lefts.push(x1 - gap - w - i * (w + gap));
  lefts.push(x0 + gap);
  for (let row = 0; row < 3; row++) {
    const above = y - h - gap / 2 - row * (h + gap);
    const below = y + gap / 2 + row * (h + gap);
    for (const left of lefts) out.push({ x: left, y: above, w, h }, { x: left, y: below, w, h });
  }
  return out;
}
