import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectInstances, selectionSize, type SelectionSpec } from './select.js';

const ten = Array.from({ length: 10 }, (_, i) => i + 100);

describe('selectionSize', () => {
  it('selects everything in mode all', () => {
    expect(selectionSize(7, { mode: 'all', pick: 'random' })).toBe(7);
  });

  it('caps a count at the number of items', () => {
    expect(selectionSize(3, { mode: 'count', value: 5, pick: 'first' })).toBe(3);
    expect(selectionSize(3, { mode: 'count', value: 2, pick: 'first' })).toBe(2);
  });

  it('selects one when a count has no value', () => {
    expect(selectionSize(4, { mode: 'count', pick: 'first' })).toBe(1);
  });

  it('rounds a percentage down but never to zero when there is something to select', () => {
    expect(selectionSize(10, { mode: 'percent', value: 30, pick: 'first' })).toBe(3);
    expect(selectionSize(10, { mode: 'percent', value: 39, pick: 'first' })).toBe(3);
    expect(selectionSize(3, { mode: 'percent', value: 50, pick: 'first' })).toBe(1);
    expect(selectionSize(3, { mode: 'percent', value: 10, pick: 'first' })).toBe(1);
    expect(selectionSize(4, { mode: 'percent', value: 100, pick: 'first' })).toBe(4);
    expect(selectionSize(100, { mode: 'percent', value: 7, pick: 'first' })).toBe(7);
  });

  it('selects nothing from nothing', () => {
    for (const mode of ['all', 'count', 'percent'] as const) {
      expect(selectionSize(0, { mode, value: 50, pick: 'first' })).toBe(0);
    }
  });

  it('always stays within 1..n for non-empty input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom<SelectionSpec['mode']>('all', 'count', 'percent'),
        fc.option(fc.double({ min: 0.01, max: 1000, noNaN: true }), { nil: undefined }),
        (n, mode, value) => {
          const k = selectionSize(n, { mode, value, pick: 'first' });
          return k >= 1 && k <= n && Number.isInteger(k);
        },
      ),
    );
  });
});

describe('selectInstances', () => {
  it('picks the same items for the same seed', () => {
    const spec: SelectionSpec = { mode: 'count', value: 3, pick: 'random' };
    const a = selectInstances(ten, spec, 42);
    const b = selectInstances(ten, spec, 42);
    expect(a.selected).toEqual(b.selected);
    expect(a.selected).toHaveLength(3);
  });

  it('picks different items for some other seed', () => {
    const spec: SelectionSpec = { mode: 'count', value: 3, pick: 'random' };
    const first = selectInstances(ten, spec, 1).selected;
    const others = [2, 3, 4, 5, 6, 7, 8, 9].map((seed) => selectInstances(ten, spec, seed).selected);
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(first))).toBe(true);
  });

  it('returns random picks without duplicates, drawn from the input, in input order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.nat(), (n, value, seed) => {
        const items = Array.from({ length: n }, (_, i) => i * 3);
        const { selected } = selectInstances(items, { mode: 'count', value, pick: 'random' }, seed);
        const sorted = [...selected].sort((x, y) => x - y);
        return (
          new Set(selected).size === selected.length &&
          selected.every((s) => items.includes(s)) &&
          JSON.stringify(sorted) === JSON.stringify(selected) &&
          selected.length === Math.min(n, value)
        );
      }),
    );
  });

  it('reaches every item over many seeds', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      for (const s of selectInstances(ten, { mode: 'count', value: 1, pick: 'random' }, seed).selected) seen.add(s);
    }
    expect(seen.size).toBe(ten.length);
  });

  it('takes the first k in order when pick is first', () => {
    expect(selectInstances(ten, { mode: 'percent', value: 20, pick: 'first' }, 9).selected).toEqual([100, 101]);
  });

  it('returns everything in mode all, whatever the pick', () => {
    expect(selectInstances(ten, { mode: 'all', pick: 'random' }, 3).selected).toEqual(ten);
  });

  it('returns a copy, never the input array', () => {
    const { selected } = selectInstances(ten, { mode: 'all', pick: 'first' }, 0);
    expect(selected).not.toBe(ten);
  });

  it('handles empty input', () => {
    expect(selectInstances([], { mode: 'count', value: 2, pick: 'random' }, 42)).toEqual({
      selected: [],
      description: 'count 0 of 0, random (seed 42)',
    });
  });

  it('describes what it did for the plan and the report', () => {
    expect(selectInstances([1, 2, 3], { mode: 'count', value: 1, pick: 'random' }, 42).description).toBe(
      'count 1 of 3, random (seed 42)',
    );
    expect(selectInstances([1, 2, 3, 4], { mode: 'percent', value: 50, pick: 'first' }, 42).description).toBe('50% = 2 of 4, first');
    expect(selectInstances([1, 2, 3], { mode: 'all', pick: 'random' }, 42).description).toBe('all 3');
  });
});
