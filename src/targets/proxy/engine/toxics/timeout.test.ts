import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { recordingContext } from './recording-context.js';
import { timeoutToxic } from './timeout.js';

function parse<T extends 'timeout'>(toxic: T, input: Record<string, unknown> = {}) {
  return proxyFaultSchema.parse({ toxic, ...input }) as FaultOf<T>;
}
const b = (s: string) => Buffer.from(s);

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
