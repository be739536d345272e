import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { recordingContext } from './recording-context.js';
import { slowCloseToxic } from './slow-close.js';

function parse<T extends 'slow-close'>(toxic: T, input: Record<string, unknown> = {}) {
  return proxyFaultSchema.parse({ toxic, ...input }) as FaultOf<T>;
}
const b = (s: string) => Buffer.from(s);

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
