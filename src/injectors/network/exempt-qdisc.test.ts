import { describe, expect, it } from 'vitest';
import { describeExempt, exemptTreeBatch, flowAddress } from './exempt-qdisc.js';

const ssh = { clientAddress: '198.18.0.1', clientPort: 51234, serverPort: 22 };

describe('the htb tree that keeps the runner\'s SSH connection out of a tc fault', () => {
  it('puts the root first, the fault\'s qdisc last, and steers the host\'s side of the flow to the free class', () => {
    const lines = exemptTreeBatch('eth0', '1a2b:', ['tbf', 'rate', '8000bit', 'burst', '4096', 'latency', '50ms'], [ssh]).trim().split('\n');
    expect(lines).toEqual([
      'qdisc replace dev eth0 root handle 1a2b: htb default 2',
      'class add dev eth0 parent 1a2b: classid 1a2b:1 htb rate 100gbit ceil 100gbit quantum 60000 prio 0',
      'class add dev eth0 parent 1a2b: classid 1a2b:2 htb rate 100gbit ceil 100gbit quantum 60000 prio 1',
      // what the host sends: from its sshd port to the runner's address and port
      'filter add dev eth0 parent 1a2b: protocol ip prio 1 u32 match ip protocol 6 0xff match ip dst 198.18.0.1/32 match ip sport 22 0xffff match ip dport 51234 0xffff flowid 1a2b:1',
      'qdisc add dev eth0 parent 1a2b:2 tbf rate 8000bit burst 4096 latency 50ms',
    ]);
  });

  it('matches an IPv6 runner as ipv6, and an IPv4-mapped address as the IPv4 it is', () => {
    const v6 = exemptTreeBatch('eth0', '1a2b:', ['netem', 'delay', '100ms'], [{ ...ssh, clientAddress: '2001:db8::7' }]);
    expect(v6).toContain('protocol ipv6 prio 1 u32 match ip6 protocol 6 0xff match ip6 dst 2001:db8::7/128 match ip6 sport 22 0xffff match ip6 dport 51234 0xffff');
    expect(flowAddress({ ...ssh, clientAddress: '::ffff:198.18.0.1' })).toEqual({ family: 4, address: '198.18.0.1' });
  });

  it('refuses anything from the host that is not an address and ports (it becomes tc words)', () => {
    expect(() => exemptTreeBatch('eth0', '1a2b:', ['tbf'], [{ ...ssh, clientAddress: '198.18.0.1/0 flowid 1:1' }])).toThrow(/not a flow to exempt/);
    expect(() => exemptTreeBatch('eth0', '1a2b:', ['tbf'], [{ ...ssh, clientPort: 0 }])).toThrow(/not a flow to exempt/);
    expect(() => exemptTreeBatch('eth0 root', '1a2b:', ['tbf'], [ssh])).toThrow(/bad qdisc/);
  });

  it('says which connection is exempt', () => {
    expect(describeExempt([ssh])).toBe("the runner's SSH 198.18.0.1:51234 -> :22 exempt");
  });
});
