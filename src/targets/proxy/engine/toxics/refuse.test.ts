import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { refuseToxic } from './refuse.js';

describe('refuse toxic', () => {
  it('refuses at accept and puts nothing on the streams of open connections', () => {
    const fault = proxyFaultSchema.parse({ toxic: 'refuse' }) as FaultOf<'refuse'>;
    expect(refuseToxic.accept?.(fault)).toBe(true);
    expect(refuseToxic.open).toBeUndefined();
  });
});
