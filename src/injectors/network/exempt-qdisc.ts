/**
 * A tc fault that must leave some flows alone (the runner's own SSH connection to a remote host):
 * instead of the fault's qdisc at the root, an htb root with two classes that never limit by
 * themselves, a u32 filter per exempt flow steering it to the first class (its default FIFO), and
 * the fault's tbf or netem as the second class's qdisc, which everything else goes to (htb
 * `default`). Deleting the root qdisc (our handle) removes classes, filters and the fault at once
 * and brings back the kernel's default, exactly as for a plain root qdisc.
 *
 * tc shapes what leaves an interface, so what is matched is the host's side of the flow going out:
 * from the server's port to the client's address and port. htb and u32 are in every distribution
 * kernel (this machine has no sch_prio). The u32 port matches sit at the fixed offset of a header
 * without IP options / IPv6 extension headers, which is what a TCP connection's packets carry.
 */
import { isIP } from 'node:net';
import { FiredrillError } from '../../errors.js';
import type { ExemptFlow } from './nft-rules.js';

/** The classes never limit by themselves: far above any link this tree could sit on. */
const UNLIMITED = 'rate 100gbit ceil 100gbit quantum 60000';

/** The client address as tc and nft must see it: an IPv4-mapped IPv6 address becomes IPv4. */
export function flowAddress(flow: ExemptFlow): { family: 4 | 6; address: string } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(flow.clientAddress)?.[1];
  const address = mapped ?? flow.clientAddress;
  const family = isIP(address);
  const port = (p: number): boolean => Number.isInteger(p) && p > 0 && p < 65_536;
  if ((family !== 4 && family !== 6) || !port(flow.clientPort) || !port(flow.serverPort)) {
    throw new FiredrillError('FD_INTERNAL', `not a flow to exempt: ${flow.clientAddress}:${flow.clientPort} -> :${flow.serverPort}`);
  }
  return { family, address };
}

/** The u32 filter line that sends `flow`'s outgoing packets to class `classId`. */
export function exemptFilter(device: string, handle: string, flow: ExemptFlow, pref: number, classId: string): string {
  const { family, address } = flowAddress(flow);
  const [proto, ipx, bits] = family === 4 ? ['ip', 'ip', 32] : ['ipv6', 'ip6', 128];
  return [
    `filter add dev ${device} parent ${handle} protocol ${proto} prio ${pref} u32`,
    `match ${ipx} protocol 6 0xff match ${ipx} dst ${address}/${bits}`,
    `match ${ipx} sport ${flow.serverPort} 0xffff match ${ipx} dport ${flow.clientPort} 0xffff flowid ${classId}`,
  ].join(' ');
}

/**
 * `tc -batch` lines for the tree. Its order keeps every exempt flow unshaped at every step: the
 * root first (no class yet: everything passes unshaped), the classes, the filters, and the
 * fault's qdisc (`leaf`: tc's words, `tbf rate ...`) last. A failed line stops the batch; the caller
 * deletes the root (ours).
 */
export function exemptTreeBatch(device: string, handle: string, leaf: readonly string[], exempt: readonly ExemptFlow[]): string {
  if (!/^[0-9a-f]{1,4}:$/.test(handle) || !/^[A-Za-z0-9_.:@-]{1,15}$/.test(device)) throw new FiredrillError('FD_INTERNAL', `bad qdisc ${device} ${handle}`);
  const free = `${handle}1`;
  const shaped = `${handle}2`;
  return [
    `qdisc replace dev ${device} root handle ${handle} htb default 2`,
    `class add dev ${device} parent ${handle} classid ${free} htb ${UNLIMITED} prio 0`,
    `class add dev ${device} parent ${handle} classid ${shaped} htb ${UNLIMITED} prio 1`,
    ...exempt.map((flow, i) => exemptFilter(device, handle, flow, i + 1, free)),
    `qdisc add dev ${device} parent ${shaped} ${leaf.join(' ')}`,
    '',
  ].join('\n');
}

/** `the runner's SSH 198.18.0.1:51234 -> :22 exempt`, for labels and the plan. */
export function describeExempt(exempt: readonly ExemptFlow[]): string {
  return exempt.map((f) => `the runner's SSH ${f.clientAddress}:${f.clientPort} -> :${f.serverPort} exempt`).join('; ');
}
