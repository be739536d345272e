import { describe, expect, it } from 'vitest';
import { DueQueue } from './due-queue.js';

/** Waits (bounded) until `done()`; a loaded machine may start the queue's thread late. */
async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('DueQueue', () => {
  it('releases items in due order, never before their time, and skips cancelled ones', async () => {
    const queue = new DueQueue();
    const t0 = performance.now();
    const fired: { name: string; late: number }[] = [];
    const at = (name: string, ms: number) => queue.add(() => fired.push({ name, late: performance.now() - (t0 + ms) }), t0 + ms);
    at('c', 12.5);
    at('a', 3.25);
    const cancel = at('x', 5);
    at('b', 3.25);
    cancel();
    await until(() => fired.length >= 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    // fractional due times are kept: nothing went out early (beyond the 0.02 ms release margin)
    for (const f of fired) expect(f.late).toBeGreaterThanOrEqual(-0.02);
    expect(queue.size).toBe(0);
  });

  it('takes an earlier item added while a later one waits', async () => {
    const queue = new DueQueue();
    const order: string[] = [];
    const t0 = performance.now();
    queue.add(() => order.push('late'), t0 + 200);
    queue.add(() => order.push('early'), t0 + 1);
    await until(() => order.length >= 2);
    expect(order).toEqual(['early', 'late']);
  });

  it('runDue releases what is due at once and nothing that is not', () => {
    const queue = new DueQueue();
    const fired: string[] = [];
    const t0 = performance.now();
    queue.add(() => fired.push('due'), t0 - 1);
    queue.add(() => fired.push('later'), t0 + 60_000);
    queue.runDue();
    expect(fired).toEqual(['due']);
    expect(queue.size).toBe(1);
  });

  it('wakes for an item due before the time the thread sleeps toward, after a release the loop did itself', async () => {
    const queue = new DueQueue();
    queue.prepare();
    await new Promise((r) => setTimeout(r, 300)); // the thread is running
    const fired: { name: string; at: number }[] = [];
    const t0 = performance.now();
    const add = (name: string, ms: number) => queue.add(() => fired.push({ name, at: performance.now() - t0 }), t0 + ms);
    add('a', 20);
    add('far', 3000);
    // the loop is busy past a's time, then releases it itself (data arrived): the thread is then
    // told about 'far' only lazily
    while (performance.now() < t0 + 25) {
      /* busy */
    }
    queue.runDue();
    add('b', 80);
    await until(() => fired.some((f) => f.name === 'b'), 2500);
    const b = fired.find((f) => f.name === 'b');
    expect(fired.map((f) => f.name).slice(0, 2)).toEqual(['a', 'b']);
    expect(b?.at).toBeGreaterThanOrEqual(80 - 0.02);
    // released at its own time, not with the far item
    expect(b?.at).toBeLessThan(2500);
  });
});
