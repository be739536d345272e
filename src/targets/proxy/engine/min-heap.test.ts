import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops in order, ties in insertion order when the comparator says so', () => {
    const heap = new MinHeap<{ at: number; seq: number }>((a, b) => a.at - b.at || a.seq - b.seq);
    const input = [5, 1, 4, 1, 3, 9, 2, 6, 5, 3].map((at, seq) => ({ at, seq }));
    for (const x of input) heap.push(x);
    const out: { at: number; seq: number }[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
    expect(out).toEqual([...input].sort((a, b) => a.at - b.at || a.seq - b.seq));
    expect(heap.size).toBe(0);
  });
});
