import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { recordingContext } from './recording-context.js';
import { resetPeerToxic } from './reset-peer.js';

function parse<T extends 'reset-peer'>(toxic: T, input: Record<string, unknown> = {}) {
  return proxyFaultSchema.parse({ toxic, ...input }) as FaultOf<T>;
}
const b = (s: string) => Buffer.from(s);

describe('reset-peer toxic', () => {
  it('resets at the first data and drops it', () => {
    const { ctx, rec } = recordingContext();
    const stream = resetPeerToxic.open!(parse('reset-peer'), ctx);
    stream.write(b('x'));
    expect(rec.resets).toBe(1);
    expect(rec.out).toEqual([]);
  });

  it('waits `after` before resetting, and resets at once if removed meanwhile', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = resetPeerToxic.open!(parse('reset-peer', { after: '50ms' }), ctx);
    stream.write(b('x'));
    clock.advance(49);
    expect(rec.resets).toBe(0);
    stream.flush!();
    expect(rec.resets).toBe(1);
    clock.advance(10);
    expect(rec.resets).toBe(1);
  });
});
