import { describe, expect, it } from 'vitest';
import { TimedQueue } from './timed-queue.js';
import { recordingContext } from './toxics/recording-context.js';

const b = (s: string) => Buffer.from(s);

describe('timed queue', () => {
  it('never lets a chunk overtake an earlier one, even when asked for an earlier time', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const q = new TimedQueue(ctx);
    q.push(b('late,'), 50);
    q.push(b('early'), 10);
    clock.advance(49);
    expect(rec.out).toEqual([]);
    clock.advance(1);
    expect(text()).toBe('late,early');
    expect(rec.out.map((o) => o.at)).toEqual([50, 50]);
  });

  it('passes a due chunk straight through when nothing is queued', () => {
    const { ctx, clock, rec } = recordingContext();
    const q = new TimedQueue(ctx);
    q.push(b('now'), clock.now());
    expect(rec.out).toEqual([{ at: 0, data: 'now' }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('accounts what it holds and releases the end last', () => {
    const { ctx, clock, rec } = recordingContext();
    const q = new TimedQueue(ctx);
    q.push(b('abc'), 5);
    q.end(0);
    q.end(0);
    expect(rec.held).toBe(3);
    clock.advance(5);
    expect(rec.held).toBe(0);
    expect(rec.endedAt).toBe(5);
  });

  it('stays correct over a long stream (the array is compacted as it flows)', () => {
    const { ctx, clock, rec } = recordingContext();
    const q = new TimedQueue(ctx);
    for (let i = 0; i < 5000; i++) {
      q.push(b('x'), clock.now() + 10);
      clock.advance(1);
    }
    clock.advance(20);
    expect(rec.out).toHaveLength(5000);
    rec.out.forEach((o, i) => expect(o.at).toBe(i + 10));
  });

  it('drops everything on dispose and fires no more', () => {
    const { ctx, clock, rec } = recordingContext();
    const q = new TimedQueue(ctx);
    q.push(b('gone'), 10);
    q.dispose();
    clock.advance(100);
    expect(rec.out).toEqual([]);
    expect(rec.held).toBe(0);
  });
});
