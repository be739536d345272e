import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { recordingContext } from './recording-context.js';
import { limitDataToxic } from './limit-data.js';

function parse<T extends 'limit-data'>(toxic: T, input: Record<string, unknown> = {}) {
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
