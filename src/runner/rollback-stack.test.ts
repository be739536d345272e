import { describe, expect, it } from 'vitest';
import { RollbackStack } from './rollback-stack.js';

const fast = { timeoutMs: 200, retries: 2, backoffMs: 1 };

/** An undo that records its start and end around 20 ms of work. */
const slowUndo = (events: string[]) => (name: string) => async () => {
  events.push(`start ${name}`);
  await new Promise((r) => setTimeout(r, 20));
  events.push(`end ${name}`);
};

describe('RollbackStack', () => {
  it('unwinds newest first', async () => {
    const order: string[] = [];
    const stack = new RollbackStack(fast);
    stack.push('a', async () => void order.push('a'));
    stack.push('b', async () => void order.push('b'));
    stack.push('c', async () => void order.push('c'));
    const outcomes = await stack.unwindAll();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(stack.outstanding).toEqual([]);
  });

  it('runs an undo that already succeeded only once', async () => {
    let calls = 0;
    const stack = new RollbackStack(fast);
    const id = stack.push('once', async () => void calls++);
    await stack.revert(id);
    await stack.revert(id);
    await stack.unwindAll();
    expect(calls).toBe(1);
  });

  it('shares one run when an early revert and the unwind race', async () => {
    let calls = 0;
    const stack = new RollbackStack(fast);
    const id = stack.push('slow', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 30));
    });
    const [a, b] = await Promise.all([stack.revert(id), stack.unwindAll()]);
    expect(calls).toBe(1);
    expect(a.ok).toBe(true);
    expect(b[0]?.ok).toBe(true);
  });

  it('retries a failing undo and reports success on a later attempt', async () => {
    let calls = 0;
    const stack = new RollbackStack(fast);
    stack.push('flaky', async () => {
      calls++;
      if (calls < 3) throw new Error('not yet');
    });
    const [outcome] = await stack.unwindAll();
    expect(outcome).toMatchObject({ ok: true, attempts: 3 });
  });

  it('bounds an undo that hangs and reports it as failed, then still runs the older ones', async () => {
    const ran: string[] = [];
    const stack = new RollbackStack({ timeoutMs: 20, retries: 1, backoffMs: 1 });
    stack.push('older', async () => void ran.push('older'));
    stack.push('hangs', () => new Promise<void>(() => {}));
    const outcomes = await stack.unwindAll();
    expect(outcomes[0]).toMatchObject({ label: 'hangs', ok: false, attempts: 2 });
    expect(outcomes[0]?.error).toMatch(/timed out/);
    expect(outcomes[1]).toMatchObject({ label: 'older', ok: true });
    expect(ran).toEqual(['older']);
    expect(stack.outstanding).toEqual([expect.objectContaining({ label: 'hangs', state: 'failed' })]);
  });

  it('tries a failed undo again on the next unwind', async () => {
    let fail = true;
    const stack = new RollbackStack({ timeoutMs: 50, retries: 0, backoffMs: 1 });
    stack.push('later', async () => {
      if (fail) throw new Error('busy');
    });
    expect((await stack.unwindAll())[0]?.ok).toBe(false);
    fail = false;
    expect((await stack.unwindAll())[0]?.ok).toBe(true);
  });

  it('undoes the instances of one fault together, and still takes faults off newest first', async () => {
    const events: string[] = [];
    const stack = new RollbackStack(fast);
    const slow = slowUndo(events);
    stack.push('a1', slow('a1'), undefined, 'a');
    stack.push('b1', slow('b1'), undefined, 'b');
    stack.push('b2', slow('b2'), undefined, 'b');
    stack.push('c', slow('c'));
    await stack.unwindAll();
    expect(events).toEqual(['start c', 'end c', 'start b2', 'start b1', 'end b2', 'end b1', 'start a1', 'end a1']);
  });

  it('starts an independent undo at once, beside the newest, and still takes the others off newest first', async () => {
    const events: string[] = [];
    const stack = new RollbackStack(fast);
    const slow = slowUndo(events);
    stack.push('a', slow('a'));
    // e.g. a stress worker the runner started: its stop depends on no other fault and none on it
    stack.push('stress', slow('stress'), undefined, undefined, undefined, true);
    stack.push('c', slow('c'));
    const unwinding = stack.unwindAll();
    // both act within the unwind's own call: no tick in between
    expect(events).toEqual(['start c', 'start stress']);
    const outcomes = await unwinding;
    expect(events.slice(2).sort()).toEqual(['end a', 'end c', 'end stress', 'start a']);
    expect(events.indexOf('start a')).toBeGreaterThan(events.indexOf('end c'));
    expect(outcomes.map((o) => o.label).sort()).toEqual(['a', 'c', 'stress']);
    expect(stack.outstanding).toEqual([]);
  });

  it('retries an independent undo that fails and reports it like any other', async () => {
    let calls = 0;
    const stack = new RollbackStack(fast);
    stack.push('older', async () => undefined);
    const failTwice = async () => {
      if (++calls < 3) throw new Error('still running');
    };
    stack.push('stress', failTwice, undefined, undefined, undefined, true);
    const outcomes = await stack.unwindAll();
    expect(outcomes.find((o) => o.label === 'stress')).toMatchObject({ ok: true, attempts: 3 });
    expect(outcomes.find((o) => o.label === 'older')).toMatchObject({ ok: true });
  });

  it('unwinds each host on its own: newest first within a host, a hung host holds back no other', async () => {
    const order: string[] = [];
    const doneAt = new Map<string, number>();
    const stack = new RollbackStack({ timeoutMs: 300, retries: 0, backoffMs: 1 });
    const started = performance.now();
    const at = (name: string) => async () => {
      order.push(name);
      doneAt.set(name, performance.now() - started);
    };
    stack.push('local-1', at('local-1'));
    stack.push('web-1 first', at('web-1 first'), undefined, 'f1', 'web-1');
    stack.push('web-2 first', () => new Promise<void>(() => undefined), () => doneAt.set('web-2 gave up', performance.now() - started), 'f1', 'web-2');
    stack.push('web-1 second', at('web-1 second'), undefined, 'f2', 'web-1');
    stack.push('web-2 second', at('web-2 second'), undefined, 'f2', 'web-2');
    stack.push('local-2', at('local-2'));
    const outcomes = await stack.unwindAll();
    expect(order.indexOf('web-1 second')).toBeLessThan(order.indexOf('web-1 first'));
    expect(order.indexOf('local-2')).toBeLessThan(order.indexOf('local-1'));
    // web-1 and this machine were done before web-2's hung undo timed out
    for (const name of ['local-1', 'local-2', 'web-1 first', 'web-1 second', 'web-2 second']) expect(doneAt.get(name)).toBeLessThan(doneAt.get('web-2 gave up') as number);
    expect(outcomes.find((o) => o.label === 'web-2 first')?.ok).toBe(false);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
  });

  it('unwinds at most `parallel` hosts at once', async () => {
    let running = 0;
    let most = 0;
    const stack = new RollbackStack({ ...fast, parallel: 3 });
    for (let i = 0; i < 10; i++) {
      stack.push(`h${i}`, async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      }, undefined, 'f', `h${i}`);
    }
    const outcomes = await stack.unwindAll();
    expect(outcomes).toHaveLength(10);
    expect(most).toBe(3);
  });
});
