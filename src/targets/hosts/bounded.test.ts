import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { settleBounded } from './bounded.js';

describe('settleBounded', () => {
  it('puts one abort listener on the parent for a whole fan-out, and none once it is done', async () => {
    const parent = new AbortController();
    const seen: number[] = [];
    await settleBounded(
      Array.from({ length: 50 }, (_, i) => i),
      50,
      async (_item, signal) => {
        // each item listens like an SSH call does
        signal.addEventListener('abort', () => undefined, { once: true });
        seen.push(getEventListeners(parent.signal, 'abort').length);
        await new Promise((r) => setTimeout(r, 5));
      },
      parent.signal,
    );
    expect(Math.max(...seen)).toBe(1);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it("hands every running item the parent's abort, with its reason", async () => {
    const parent = new AbortController();
    const reasons: unknown[] = [];
    const run = settleBounded(
      [1, 2, 3],
      3,
      (_item, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            resolve();
          });
        }),
      parent.signal,
    );
    parent.abort('tripped');
    await run;
    expect(reasons).toEqual(['tripped', 'tripped', 'tripped']);
  });

  it('starts items after an abort with their signal already aborted', async () => {
    const parent = new AbortController();
    parent.abort('stopped');
    const aborted: boolean[] = [];
    await settleBounded([1, 2], 1, async (_item, signal) => {
      aborted.push(signal.aborted);
    }, parent.signal);
    expect(aborted).toEqual([true, true]);
  });
});
