import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, proxyFaultSchemaWith } from './schema.js';

describe('proxy fault schema', () => {
  it('turns YAML text into milliseconds and shares', () => {
    expect(proxyFaultSchema.parse({ toxic: 'latency', latency: '100ms', jitter: '1s', toxicity: '25%' })).toEqual({
      toxic: 'latency',
      latency: 100,
      jitter: 1000,
      toxicity: 0.25,
      direction: 'downstream',
    });
  });

  it('fills safe defaults per kind', () => {
    expect(proxyFaultSchema.parse({ toxic: 'timeout' })).toEqual({ toxic: 'timeout', toxicity: 1, direction: 'both' });
    expect(proxyFaultSchema.parse({ toxic: 'http-abort' })).toEqual({ toxic: 'http-abort', toxicity: 1, status: 503, match: {} });
  });

  it('says what is wrong with a bad duration, share or slicer', () => {
    const messages = (input: unknown) => proxyFaultSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ toxic: 'latency', latency: 'soon' })[0]).toMatch(/"soon" is not a duration/);
    expect(messages({ toxic: 'refuse', toxicity: '120%' })[0]).toMatch(/not a share/);
    expect(messages({ toxic: 'slicer', averageSize: 4, sizeVariation: 4 })[0]).toMatch(/smaller than averageSize/);
    expect(messages({ toxic: 'latency', latency: '1ms', extra: 1 })[0]).toMatch(/nrecognized/);
  });

  it('composes with the drill envelope and nests in a union on `type`', () => {
    const proxyFault = proxyFaultSchemaWith({ type: z.literal('proxy'), target: z.string() });
    const fault = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('process-pause') }), proxyFault]);
    expect(fault.parse({ type: 'proxy', target: 'db', toxic: 'limit-data', bytes: 10 })).toEqual({
      type: 'proxy',
      target: 'db',
      toxic: 'limit-data',
      bytes: 10,
      toxicity: 1,
      direction: 'downstream',
    });
  });
});
