import { describe, expect, it } from 'vitest';
import { defaultBurstBytes, qdiscArgs } from './qdisc.js';

describe('tc arguments of qdisc faults', () => {
  it('writes tbf with the rate in bits, the burst in bytes and the queue latency', () => {
    expect(qdiscArgs({ kind: 'tbf', rateBits: 1_000_000, burstBytes: 16384, latencyMs: 50 })).toEqual(['tbf', 'rate', '1000000bit', 'burst', '16384', 'latency', '50ms']);
  });

  it('writes netem delay with optional jitter, and corruption as a percentage', () => {
    expect(qdiscArgs({ kind: 'netem', delayMs: 100 })).toEqual(['netem', 'delay', '100ms']);
    expect(qdiscArgs({ kind: 'netem', delayMs: 100, jitterMs: 20 })).toEqual(['netem', 'delay', '100ms', '20ms']);
    expect(qdiscArgs({ kind: 'netem', corruptShare: 0.015 })).toEqual(['netem', 'corrupt', '1.5%']);
  });

  it('gives tbf a burst of 20 ms at the rate, never less than 16 KiB', () => {
    expect(defaultBurstBytes(1_000_000)).toBe(16384);
    expect(defaultBurstBytes(100_000_000)).toBe(250_000);
  });
});
