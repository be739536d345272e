import { describe, expect, it } from 'vitest';
import { chainRules, describeMatch, nftTableScript, type TrafficMatch } from './nft-rules.js';

const any: TrafficMatch = { protocol: 'all', direction: 'both' };

describe('nftables rules of network faults', () => {
  it('partitions a peer in both directions: source on the way in, destination on the way out', () => {
    const m: TrafficMatch = { ...any, peer: '10.0.0.5' };
    expect(chainRules('input', m, { kind: 'drop' })).toEqual(['ip saddr 10.0.0.5 counter drop']);
    expect(chainRules('output', m, { kind: 'drop' })).toEqual(['ip daddr 10.0.0.5 counter drop']);
  });

  it('spares loopback when no peer is named', () => {
    expect(chainRules('input', any, { kind: 'drop' })).toEqual(['iifname != "lo" counter drop']);
    expect(chainRules('output', any, { kind: 'drop' })).toEqual(['oifname != "lo" counter drop']);
  });

  it("matches the peer's port as source on the way in and the local port as destination", () => {
    const m: TrafficMatch = { ...any, peer: '10.0.0.0/24', port: 5432, localPort: 8080, protocol: 'tcp' };
    expect(chainRules('input', m, { kind: 'drop' })).toEqual(['ip saddr 10.0.0.0/24 tcp sport 5432 tcp dport 8080 counter drop']);
    expect(chainRules('output', m, { kind: 'drop' })).toEqual(['ip daddr 10.0.0.0/24 tcp dport 5432 tcp sport 8080 counter drop']);
  });

  it('uses the transport header for ports when the protocol is all', () => {
    expect(chainRules('input', { ...any, port: 53 }, { kind: 'drop' })).toEqual(['iifname != "lo" meta l4proto { tcp, udp } th sport 53 counter drop']);
  });

  it('writes IPv6 peers with ip6', () => {
    expect(chainRules('output', { ...any, peer: 'fd00::/64' }, { kind: 'drop' })).toEqual(['ip6 daddr fd00::/64 counter drop']);
  });

  it('rejects TCP with a reset and everything else with ICMP, letting the rejections themselves pass', () => {
    const m: TrafficMatch = { ...any, peer: '10.0.0.5' };
    expect(chainRules('input', m, { kind: 'reject' })).toEqual([
      'ip saddr 10.0.0.5 meta l4proto tcp tcp flags & rst == 0 counter reject with tcp reset',
      'ip saddr 10.0.0.5 meta l4proto != { tcp, icmp, ipv6-icmp } counter reject',
    ]);
    expect(chainRules('output', { ...m, port: 80 }, { kind: 'reject' })).toEqual([
      'ip daddr 10.0.0.5 tcp dport 80 tcp flags & rst == 0 counter reject with tcp reset',
      'ip daddr 10.0.0.5 udp dport 80 counter reject',
    ]);
    expect(chainRules('input', { ...m, protocol: 'udp' }, { kind: 'reject' })).toEqual(['ip saddr 10.0.0.5 meta l4proto udp counter reject']);
  });

  it('drops a share of packets with numgen, in hundredths of a percent', () => {
    expect(chainRules('input', any, { kind: 'loss', share: 0.3 })).toEqual(['iifname != "lo" numgen random mod 10000 < 3000 counter drop']);
    expect(chainRules('input', any, { kind: 'loss', share: 0.025 })).toEqual(['iifname != "lo" numgen random mod 10000 < 250 counter drop']);
    expect(chainRules('input', any, { kind: 'loss', share: 1 })).toEqual(['iifname != "lo" counter drop']);
  });

  it('builds one table whose chains follow the direction, replacing any earlier copy', () => {
    const script = nftTableScript('firedrill_t_x', { ...any, direction: 'in', peer: '10.0.0.5' }, { kind: 'drop' });
    expect(script).toBe(
      [
        'add table inet firedrill_t_x',
        'delete table inet firedrill_t_x',
        'table inet firedrill_t_x {',
        '  chain input {',
        '    type filter hook input priority -10; policy accept;',
        '    ip saddr 10.0.0.5 counter drop',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(nftTableScript('t', { ...any, direction: 'out' }, { kind: 'drop' })).not.toContain('chain input');
    expect(nftTableScript('t', any, { kind: 'drop' })).toMatch(/chain input[\s\S]*chain output/);
  });

  it('describes what it matches for the label', () => {
    expect(describeMatch({ peer: '10.0.0.5', port: 5432, protocol: 'tcp', direction: 'out' })).toBe('10.0.0.5, port 5432 (tcp), outgoing only');
    expect(describeMatch(any)).toBe('every peer but loopback, both directions');
  });
});
