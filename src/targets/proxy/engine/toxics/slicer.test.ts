import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { slicerToxic } from './slicer.js';
import { recordingContext } from './recording-context.js';

const fault = (input: Record<string, unknown>) => proxyFaultSchema.parse({ toxic: 'slicer', ...input }) as FaultOf<'slicer'>;

describe('slicer toxic', () => {
  it('cuts chunks into slices of averageSize ± sizeVariation, delay apart, in order', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = slicerToxic.open!(fault({ averageSize: 10, sizeVariation: 4, delay: '2ms' }), ctx);
    const data = Array.from({ length: 300 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    stream.write(Buffer.from(data));
    clock.advance(1000);
    expect(text()).toBe(data);
    const sizes = rec.out.map((o) => o.data.length);
    sizes.slice(0, -1).forEach((s) => expect(s).toBeGreaterThanOrEqual(6));
    sizes.forEach((s) => expect(s).toBeLessThanOrEqual(14));
    rec.out.forEach((o, i) => expect(o.at).toBe(i * 2));
  });

  it('keeps the gap after a late timer instead of sending a burst', () => {
    const { ctx, clock, rec, text } = recordingContext();
    let lateMs = 30;
    const lateCtx = {
      ...ctx,
      clock: {
        now: () => clock.now(),
        setTimer: (fn: () => void, ms: number) => {
          const cancel = clock.setTimer(fn, ms + lateMs);
          lateMs = 0;
          return cancel;
        },
      },
    };
    const stream = slicerToxic.open!(fault({ averageSize: 5, delay: '10ms' }), lateCtx);
    stream.write(Buffer.from('abcdefghijklmnopqrstuvwxy'));
    stream.end!();
    clock.advance(500);
    expect(text()).toBe('abcdefghijklmnopqrstuvwxy');
    expect(rec.out.map((o) => o.at)).toEqual([0, 40, 50, 60, 70]);
    expect(rec.endedAt).toBe(70);
  });

  it('keeps the spacing across chunks', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = slicerToxic.open!(fault({ averageSize: 5, delay: '10ms' }), ctx);
    stream.write(Buffer.from('aaaaabbbbb'));
    stream.write(Buffer.from('ccccc'));
    clock.advance(100);
    expect(rec.out.map((o) => o.at)).toEqual([0, 10, 20]);
  });
});
