import { describe, expect, it } from 'vitest';
import { faultSchema } from '../../drill/schema.js';
import { isAddressOrCidr, parseByteSize, parseRateBits } from './schema.js';

describe('network fault fields', () => {
  it('accepts addresses and CIDRs, IPv4 and IPv6, and nothing else', () => {
    for (const ok of ['10.0.0.5', '10.0.0.0/24', '0.0.0.0/0', 'fd00::1', 'fd00::/64']) expect(isAddressOrCidr(ok), ok).toBe(true);
    for (const bad of ['db.internal', '10.0.0.0/33', 'fd00::/129', '10.0.0.5/', '10.0.0.5/24/1', '']) expect(isAddressOrCidr(bad), bad).toBe(false);
  });

  it('reads rates in tc bit units and sizes in bytes', () => {
    expect(parseRateBits('1mbit')).toBe(1_000_000);
    expect(parseRateBits('512kbit')).toBe(512_000);
    expect(parseRateBits('1.5Gbit')).toBe(1_500_000_000);
    expect(parseRateBits('1mbps')).toBeUndefined();
    expect(parseByteSize('32KiB')).toBe(32768);
    expect(parseByteSize('1500B')).toBe(1500);
  });

  it('turns a network-loss fault into numbers with safe defaults', () => {
    const f = faultSchema.parse({ type: 'network-loss', target: 'api', duration: '10s', loss: '30%' });
    expect(f).toMatchObject({ type: 'network-loss', loss: 0.3, protocol: 'all', direction: 'both', allowHostNetwork: false });
  });

  it('turns a network-bandwidth fault into bits per second, bytes and milliseconds', () => {
    const f = faultSchema.parse({ type: 'network-bandwidth', target: 'api', duration: '10s', rate: '2mbit', burst: '64K' });
    expect(f).toMatchObject({ rate: 2_000_000, burst: 65536, queueLatency: 50 });
  });

  it('refuses a loss of 0 %, a host name as peer and an unknown rate unit, each with what to write', () => {
    const r = faultSchema.safeParse({ type: 'network-loss', target: 'api', duration: '10s', loss: '0%', peer: 'db.internal' });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => i.message).join('\n') ?? '';
    expect(messages).toContain('more than 0%');
    expect(messages).toContain('IP address or a CIDR');
    const b = faultSchema.safeParse({ type: 'network-bandwidth', target: 'api', duration: '10s', rate: '1MB/s' });
    expect(b.error?.issues[0]?.message).toContain('512kbit');
  });
});
