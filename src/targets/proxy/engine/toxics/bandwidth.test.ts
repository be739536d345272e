import { describe, expect, it } from 'vitest';
import { proxyFaultSchema, type FaultOf } from '../schema.js';
import { bandwidthToxic } from './bandwidth.js';
import { recordingContext } from './recording-context.js';

const fault = (rate: number) => proxyFaultSchema.parse({ toxic: 'bandwidth', rate }) as FaultOf<'bandwidth'>;

describe('bandwidth toxic', () => {
  it('carries no more than the rate over any window longer than a slice', () => {
    const { ctx, clock, rec, text } = recordingContext();
    const stream = bandwidthToxic.open!(fault(10), ctx); // 10 KB/s = 10 bytes/ms
    const data = Buffer.alloc(5000, 'q');
    stream.write(data);
    stream.end!();
    clock.advance(10_000);
    expect(text()).toBe(data.toString('latin1'));
    // 5000 bytes at 10 bytes/ms: the last byte leaves after ≥ (5000 − one 200-byte slice) / 10 ms
    const last = rec.out[rec.out.length - 1]!.at;
    expect(last).toBeGreaterThanOrEqual(480);
    expect(last).toBeLessThanOrEqual(500);
    let sent = 0;
    for (const o of rec.out) {
      sent += o.data.length;
      expect(sent).toBeLessThanOrEqual(o.at * 10 + 200);
    }
    expect(rec.endedAt).toBe(last);
  });

  it('does not let an idle pause build up credit for a burst', () => {
    const { ctx, clock, rec } = recordingContext();
    const stream = bandwidthToxic.open!(fault(1), ctx); // 1 byte/ms, 20-byte slices
    stream.write(Buffer.alloc(20, 'a'));
    clock.advance(1000);
    stream.write(Buffer.alloc(100, 'b'));
    clock.advance(1000);
    const later = rec.out.filter((o) => o.data.startsWith('b'));
    expect(later[later.length - 1]!.at).toBeGreaterThanOrEqual(1080);
  });
});
