import { describe, expect, it } from 'vitest';
import { RollbackStack } from './rollback-stack.js';

const fast = { timeoutMs: 200, retries: 2, backoffMs: 1 };

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
    const slow = (name: string) => async () => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 20));
      events.push(`end ${name}`);
    };
    stack.push('a1', slow('a1'), undefined, 'a');
    stack.push('b1', slow('b1'), undefined, 'b');
    stack.push('b2', slow('b2'), undefined, 'b');
    stack.push('c', slow('c'));
    await stack.unwindAll();
    expect(events).toEqual(['start c', 'end c', 'start b2', 'start b1', 'end b2', 'end b1', 'start a1', 'end a1']);
  });
});
