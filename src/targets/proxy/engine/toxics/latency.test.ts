import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { latencyToxic } from './latency.js';
import { recordingContext } from './recording-context.js';

const fault = (input: Record<string, unknown>) => proxyFaultSchema.parse({ toxic: 'latency', ...input }) as FaultOf<'latency'>;
const b = (s: string) => Buffer.from(s);

describe('latency toxic', () => {
  it('releases each chunk latency after it arrived, not after the previous release', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = latencyToxic.open!(fault({ latency: '100ms' }), ctx);
    stream.write(b('a'));
    clock.advance(30);
    stream.write(b('b'));
    clock.advance(69);
    expect(rec.out).toEqual([]);
    clock.advance(1);
    expect(rec.out).toEqual([{ at: 100, data: 'a' }]);
    clock.advance(30);
    expect(rec.out).toEqual([
      { at: 100, data: 'a' },
      { at: 130, data: 'b' },
    ]);
    expect(rec.applied).toBe(2);
  });

  it('keeps order under jitter and stays within latency ± jitter', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = latencyToxic.open!(fault({ latency: '50ms', jitter: '40ms' }), ctx);
    const sent: string[] = [];
    for (let i = 0; i < 200; i++) {
      const s = `<${i}>`;
      sent.push(s);
      stream.write(b(s));
      clock.advance(1);
    }
    clock.advance(200);
    expect(text()).toBe(sent.join(''));
    // arrival i at t=i; release must be ≥ t+10 and, ordering aside, ≤ the latest allowed bound
    rec.out.forEach((o, i) => expect(o.at).toBeGreaterThanOrEqual(i + 10));
    expect(Math.max(...rec.out.map((o, i) => o.at - i))).toBeLessThanOrEqual(90);
  });

  it('delays the end of the stream after the data', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = latencyToxic.open!(fault({ latency: '20ms' }), ctx);
    stream.write(b('x'));
    stream.end!();
    clock.advance(19);
    expect(rec.endedAt).toBeUndefined();
    clock.advance(1);
    expect(rec.out).toHaveLength(1);
    expect(rec.endedAt).toBe(20);
  });

  it('keeps a single timer however many chunks it holds', () => {
    const { ctx, clock } = recordingContext();
    const stream = latencyToxic.open!(fault({ latency: '100ms' }), ctx);
    for (let i = 0; i < 50; i++) stream.write(b('z'));
    expect(clock.pendingTimers).toBe(1);
  });

  it('hands everything held on at once when the fault is removed', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = latencyToxic.open!(fault({ latency: '1s' }), ctx);
    stream.write(b('ab'));
    stream.write(b('cd'));
    stream.end!();
    expect(rec.held).toBe(4);
    stream.flush!();
    expect(text()).toBe('abcd');
    expect(rec.endedAt).toBe(0);
    expect(rec.held).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
