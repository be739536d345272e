import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { limitDataToxic } from './limit-data.js';
import { recordingContext } from './recording-context.js';
import { resetPeerToxic } from './reset-peer.js';
import { slowCloseToxic } from './slow-close.js';
import { timeoutToxic } from './timeout.js';

function parse<T extends 'limit-data' | 'reset-peer' | 'slow-close' | 'timeout'>(toxic: T, input: Record<string, unknown> = {}) {
  return proxyFaultSchema.parse({ toxic, ...input }) as FaultOf<T>;
}
const b = (s: string) => Buffer.from(s);

describe('limit-data toxic', () => {
  it('passes exactly the limit, then closes', () => {
    const { ctx, rec, text } = recordingContext();
    const stream = limitDataToxic.open!(parse('limit-data', { bytes: 7 }), ctx);
    stream.write(b('abcd'));
    stream.write(b('efgh'));
    stream.write(b('ijkl'));
    expect(text()).toBe('abcdefg');
    expect(rec.closes).toBe(1);
    expect(rec.endedAt).toBe(0);
  });
});

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

describe('slow-close toxic', () => {
  it('passes data at once and holds the end back for the delay', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = slowCloseToxic.open!(parse('slow-close', { delay: '300ms' }), ctx);
    stream.write(b('data'));
    stream.end!();
    expect(text()).toBe('data');
    clock.advance(299);
    expect(rec.endedAt).toBeUndefined();
    clock.advance(1);
    expect(rec.endedAt).toBe(300);
  });
});

describe('timeout toxic', () => {
  it('holds everything until the fault is removed, then lets it flow in order', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = timeoutToxic.open!(parse('timeout'), ctx);
    stream.write(b('one'));
    stream.write(b('two'));
    stream.end!();
    clock.advance(60_000);
    expect(rec.out).toEqual([]);
    expect(rec.held).toBe(6);
    stream.flush!();
    expect(text()).toBe('onetwo');
    expect(rec.endedAt).toBe(60_000);
    expect(rec.held).toBe(0);
  });

  it('drops what it holds and closes after closeAfter', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = timeoutToxic.open!(parse('timeout', { closeAfter: '1s' }), ctx);
    stream.write(b('lost'));
    clock.advance(1000);
    expect(rec.out).toEqual([]);
    expect(rec.closes).toBe(1);
    expect(rec.held).toBe(0);
  });
});
