/**
 * The nftables script of a partition or loss fault: one `inet` table with an input and/or output
 * chain that drops (or rejects) the matching packets. Pure, so the exact rules are unit-tested.
 * The script first adds and deletes the table, so applying it twice leaves one fresh copy.
 */
import { flowAddress } from './exempt-qdisc.js';

export interface TrafficMatch {
  /** an address or CIDR; undefined: every peer except loopback */
  peer?: string;
  /** the peer's port */
  port?: number;
  /** the target's own port */
  localPort?: number;
  protocol: 'tcp' | 'udp' | 'all';
  direction: 'in' | 'out' | 'both';
}

/** A TCP flow the rules must never touch (the runner's own SSH connection to a remote host). */
export interface ExemptFlow {
  /** the runner's side, as the host sees it */
  clientAddress: string;
  clientPort: number;
  serverPort: number;
}

export type PacketVerdict = { kind: 'drop' } | { kind: 'reject' } | { kind: 'loss'; share: number };

type Chain = 'input' | 'output';

/** Runs before the usual filter chains (priority 0), so other tables' accepts come after our drop. */
const PRIORITY = -10;
/** Loss is drawn per packet from 0..9999, so shares down to 0.01 % are exact. */
const LOSS_SCALE = 10_000;

/** The whole script for `nft -f -`. */
export function nftTableScript(table: string, match: TrafficMatch, verdict: PacketVerdict, exempt: readonly ExemptFlow[] = []): string {
  const chains: Chain[] = match.direction === 'both' ? ['input', 'output'] : [match.direction === 'in' ? 'input' : 'output'];
  const body = chains.map((chain) => {
    // exemptions come first: an accept here ends this table's say over the packet
    const rules = [...exempt.map((f) => exemptRule(chain, f)), ...chainRules(chain, match, verdict)].map((r) => `    ${r}`);
    return [`  chain ${chain} {`, `    type filter hook ${chain} priority ${PRIORITY}; policy accept;`, ...rules, '  }'].join('\n');
  });
  return [`add table inet ${table}`, `delete table inet ${table}`, `table inet ${table} {`, ...body, '}', ''].join('\n');
}

/** The rules of one chain: packets the target receives (input) or sends (output). */
export function chainRules(chain: Chain, match: TrafficMatch, verdict: PacketVerdict): string[] {
  const where = peerMatch(chain, match.peer);
  if (verdict.kind !== 'reject') {
    return [join(where, l4Match(chain, match, match.protocol), verdictText(verdict))];
  }
  // A TCP peer gets a reset (a fast "connection refused"), anything else an ICMP unreachable.
  // The reset or ICMP error a reject sends passes the other chain too, so those are let through:
  // rejecting them would drop them, and the client would time out instead of failing fast.
  const rules: string[] = [];
  if (match.protocol !== 'udp') rules.push(join(where, l4Match(chain, match, 'tcp'), 'tcp flags & rst == 0 counter reject with tcp reset'));
  if (match.protocol !== 'tcp') {
    const rest = match.protocol === 'all' && !hasPorts(match) ? 'meta l4proto != { tcp, icmp, ipv6-icmp }' : l4Match(chain, match, 'udp');
    rules.push(join(where, rest, 'counter reject'));
  }
  return rules;
}

function exemptRule(chain: Chain, flow: ExemptFlow): string {
  // checked: the address and ports come from the host ($SSH_CONNECTION) and become nft words
  const { family: v, address } = flowAddress(flow);
  const family = v === 6 ? 'ip6' : 'ip';
  return chain === 'input'
    ? `${family} saddr ${address} tcp sport ${flow.clientPort} tcp dport ${flow.serverPort} accept`
    : `${family} daddr ${address} tcp dport ${flow.clientPort} tcp sport ${flow.serverPort} accept`;
}

function hasPorts(match: TrafficMatch): boolean {
  return match.port !== undefined || match.localPort !== undefined;
}

function peerMatch(chain: Chain, peer: string | undefined): string {
  if (peer === undefined) return chain === 'input' ? 'iifname != "lo"' : 'oifname != "lo"';
  const family = peer.includes(':') ? 'ip6' : 'ip';
  return `${family} ${chain === 'input' ? 'saddr' : 'daddr'} ${peer}`;
}

function l4Match(chain: Chain, match: TrafficMatch, protocol: TrafficMatch['protocol']): string {
  // the peer's port is the source of what comes in and the destination of what goes out
  const [peerSide, localSide] = chain === 'input' ? ['sport', 'dport'] : ['dport', 'sport'];
  const ports = [
    match.port !== undefined ? `${peerSide} ${match.port}` : '',
    match.localPort !== undefined ? `${localSide} ${match.localPort}` : '',
  ].filter(Boolean);
  if (protocol === 'all') {
    return ports.length === 0 ? '' : `meta l4proto { tcp, udp } ${ports.map((p) => `th ${p}`).join(' ')}`;
  }
  return ports.length === 0 ? `meta l4proto ${protocol}` : ports.map((p) => `${protocol} ${p}`).join(' ');
}

function verdictText(verdict: Exclude<PacketVerdict, { kind: 'reject' }>): string {
  if (verdict.kind === 'drop') return 'counter drop';
  const below = Math.round(verdict.share * LOSS_SCALE);
  if (below >= LOSS_SCALE) return 'counter drop';
  return `numgen random mod ${LOSS_SCALE} < ${below} counter drop`;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** `10.0.0.5 port 5432 (tcp), both directions`: what the rules match, for labels. */
export function describeMatch(match: TrafficMatch): string {
  const peer = match.peer ?? 'every peer but loopback';
  const parts = [peer];
  if (match.port !== undefined) parts.push(`port ${match.port}`);
  if (match.localPort !== undefined) parts.push(`local port ${match.localPort}`);
  const proto = match.protocol === 'all' ? '' : ` (${match.protocol})`;
  const direction = { in: 'incoming only', out: 'outgoing only', both: 'both directions' }[match.direction];
  return `${parts.join(', ')}${proto}, ${direction}`;
}
