import { describe, expect, it } from 'vitest';
import { inside, intersects, markerCandidates, placeLabel, thresholdCandidates, type LabelBox } from './chart-label-layout.js';

const area: LabelBox = { x: 64, y: 10, w: 600, h: 240 };

describe('chart label layout', () => {
  it('puts a moment\'s label left of its line when the right side would cross into the right axis', () => {
    // "recovered" 10 px before the plot's right edge: drawn to the right it covered the 80 % tick
    const placed: LabelBox[] = [];
    const x = area.x + area.w - 10;
    const box = placeLabel(markerCandidates(x, 56, 12, area, 2, 6), placed, area);
    expect(inside(box, area)).toBe(true);
    expect(box.x + box.w).toBeLessThanOrEqual(x);
  });

  it('moves a moment\'s label off a threshold label it would cover', () => {
    const placed: LabelBox[] = [];
    // a threshold ending right of the inject line, its label above the line near the top of the plot
    const threshold = placeLabel(thresholdCandidates(area.x + 200, area.x + 320, area.y + 16, 150, 12, 2), placed, area);
    const inject = placeLabel(markerCandidates(area.x + 260, 36, 12, area, 2, 6), placed, area);
    expect(intersects(inject, threshold)).toBe(false);
    expect(inside(inject, area) && inside(threshold, area)).toBe(true);
  });

  it('keeps every label of a crowded chart clear of the others while there is room', () => {
    const placed: LabelBox[] = [];
    const boxes: LabelBox[] = [];
    for (const [i, x] of [100, 104, 108, 112, 116, 120].entries()) boxes.push(placeLabel(markerCandidates(area.x + x, 40 + i, 12, area, 2, 6), placed, area));
    for (const y of [40, 44, 48]) boxes.push(placeLabel(thresholdCandidates(area.x, area.x + area.w, area.y + y, 160, 12, 2), placed, area));
    boxes.forEach((a, i) => {
      expect(inside(a, area)).toBe(true);
      for (const b of boxes.slice(i + 1)) expect(intersects(a, b)).toBe(false);
    });
  });

  it('falls back to the least overlap inside the plot when no place is free', () => {
    const tiny: LabelBox = { x: 0, y: 0, w: 50, h: 14 };
    const placed: LabelBox[] = [];
    const first = placeLabel(markerCandidates(10, 40, 12, tiny, 2, 1), placed, tiny);
    const second = placeLabel(markerCandidates(10, 40, 12, tiny, 2, 1), placed, tiny);
    expect(inside(first, tiny) && inside(second, tiny)).toBe(true);
    expect(placed).toHaveLength(2);
  });
});
