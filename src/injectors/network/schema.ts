/**
 * The kernel network faults' fields, as zod fragments the drill schema composes with the fault
 * envelope (see drill/schema.ts). Text in YAML (`rate: 1mbit`, `loss: 30%`, `latency: 100ms`)
 * becomes numbers here (bits per second, a 0..1 share, milliseconds). drill/schema.ts composes
 * the fault schemas at the end of this file through the injector registry.
 */
import { createRequire } from 'node:module';
import * as z from 'zod';
import { duration, share as shareOf } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

// node:net (streams, dns) is loaded on the first address checked, not with the drill format: `validate` of a drill without network faults never needs it
const requireBuiltin = createRequire(import.meta.url);
const isIP = (address: string): number => (requireBuiltin('node:net') as typeof import('node:net')).isIP(address);

/** True for `10.0.0.5`, `10.0.0.0/24`, `fd00::1`, `fd00::/64`. */
export function isAddressOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (address === undefined || rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const BITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** `1mbit`, `512kbit`, `2.5gbit` (bits per second, tc's units) → bits per second. */
export function parseRateBits(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit)\s*$/i.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (BITS[(m[2] as string).toLowerCase()] as number));
}

const BYTES: Record<string, number> = { B: 1, K: 1024, KiB: 1024, M: 1024 ** 2, MiB: 1024 ** 2 };

/** `32KiB`, `64K`, `1MiB`, `1500B` → bytes. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|K|MiB|M)\s*$/.exec(text);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * (BYTES[m[2] as string] as number));
}

const ms = duration;

/** `"30%"` → 0.3; 0% is refused: a fault that does nothing is a mistake. */
const share = shareOf({ allowZero: false, example: '30%' });

const port = z.number().int().min(1).max(65535);

const iface = z
  .string()
  .regex(/^[^\s/]{1,15}$/, 'an interface name has 1 to 15 characters, no spaces and no "/"')
  .optional()
  .meta({ description: 'The interface inside the target\'s namespace; default: every non-loopback interface', examples: ['eth0'] });

/** Shared by every network fault. */
export const networkEnvelope = {
  allowHostNetwork: z
    .boolean()
    .default(false)
    .meta({ description: 'Allow the fault when the target shares the host\'s network namespace (dangerous: it can cut the runner, its probes and SSH)', examples: [true] }),
};

/** Which packets a partition or loss fault touches. */
const trafficMatch = {
  peer: z
    .string()
    .refine(isAddressOrCidr, 'write an IP address or a CIDR, e.g. 10.0.0.5 or 10.0.0.0/24 (names are not resolved)')
    .optional()
    .meta({ description: 'The other side: an IPv4/IPv6 address or CIDR (names are not resolved); omitted: every peer except loopback', examples: ['10.0.0.5', '10.0.0.0/24'] }),
  port: port.optional().meta({ description: 'The peer\'s port (e.g. the database a client talks to)', examples: [5432] }),
  localPort: port.optional().meta({ description: 'The target\'s own port (e.g. the port a server listens on)', examples: [8080] }),
  protocol: z.enum(['tcp', 'udp', 'all']).default('all').meta({ description: 'all: any protocol (tcp and udp when a port is given)', examples: ['tcp'] }),
  direction: z
    .enum(['in', 'out', 'both'])
    .default('both')
    .meta({ description: 'in: packets the target receives; out: packets it sends; both', examples: ['out'] }),
};

export const networkPartitionFields = {
  ...networkEnvelope,
  ...trafficMatch,
  action: z.enum(['drop', 'reject']).default('drop').meta({ description: 'drop: silence (timeouts); reject: TCP reset / ICMP unreachable (fast failures)', examples: ['reject'] }),
};

export const networkLossFields = {
  ...networkEnvelope,
  ...trafficMatch,
  loss: share.meta({ description: 'The share of matching packets dropped at random, e.g. "30%"' }),
};

export const networkBandwidthFields = {
  ...networkEnvelope,
  rate: z
    .string()
    .meta({ description: 'The cap in bits per second: 512kbit, 1mbit, 1gbit', examples: ['1mbit'] })
    .transform((text, ctx) => {
      const v = parseRateBits(text);
      if (v === undefined || v < 1000) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a rate; write it like 512kbit, 1mbit or 1gbit (at least 1kbit)` });
        return z.NEVER;
      }
      return v;
    }),
  burst: z
    .string()
    .meta({ description: 'Bytes that may pass at full speed: 32KiB, 64K; default: 20ms at the rate, at least 16KiB', examples: ['32KiB'] })
    .transform((text, ctx) => {
      const v = parseByteSize(text);
      if (v === undefined || v < 1600) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a burst size; write it like 32KiB or 64K (at least 1600B, one packet)` });
        return z.NEVER;
      }
      return v;
    })
    .optional(),
  queueLatency: ms
    .prefault('50ms')
    .meta({ description: 'The longest a packet may wait in the shaper before it is dropped (tc tbf latency)', examples: ['50ms'] }),
  interface: iface,
};

export const networkLatencyFields = {
  ...networkEnvelope,
  latency: ms.meta({ description: 'Delay added to every packet the target sends', examples: ['100ms'] }),
  jitter: ms.optional().meta({ description: 'Random variation around the delay', examples: ['20ms'] }),
  interface: iface,
};

export const networkJitterFields = {
  ...networkEnvelope,
  jitter: ms.meta({ description: 'Random variation of the delay of every packet the target sends', examples: ['30ms'] }),
  latency: ms.optional().meta({ description: 'The mean delay; default: the jitter (delays between 0 and twice the jitter)', examples: ['100ms'] }),
  interface: iface,
};

export const networkCorruptFields = {
  ...networkEnvelope,
  corrupt: share.meta({ description: 'The share of packets the target sends with a flipped bit, e.g. "5%"', examples: ['5%'] }),
  interface: iface,
};

export const networkPartitionSchema = z.strictObject({
  type: faultType('network-partition', 'Drop or reject the target\'s traffic with a peer/port (nftables in its network namespace); revert deletes the table'),
  ...faultEnvelope,
  ...networkPartitionFields,
});
export const networkLossSchema = z.strictObject({
  type: faultType('network-loss', 'Drop a share of the target\'s matching packets at random (nftables numgen); revert deletes the table'),
  ...faultEnvelope,
  ...networkLossFields,
});
export const networkBandwidthSchema = z.strictObject({
  type: faultType('network-bandwidth', 'Cap the bandwidth the target sends with (tc tbf); revert deletes the qdisc'),
  ...faultEnvelope,
  ...networkBandwidthFields,
});
export const networkLatencySchema = z.strictObject({
  type: faultType('network-latency', 'Delay every packet the target sends (tc netem; refused in preflight where the kernel has no netem)'),
  ...faultEnvelope,
  ...networkLatencyFields,
});
export const networkJitterSchema = z.strictObject({
  type: faultType('network-jitter', 'Vary the delay of every packet the target sends (tc netem; refused in preflight where the kernel has no netem)'),
  ...faultEnvelope,
  ...networkJitterFields,
});
export const networkCorruptSchema = z.strictObject({
  type: faultType('network-corrupt', 'Flip a bit in a share of the packets the target sends (tc netem; refused in preflight where the kernel has no netem)'),
  ...faultEnvelope,
  ...networkCorruptFields,
});

export type PartitionFault = z.output<typeof networkPartitionSchema>;
export type LossFault = z.output<typeof networkLossSchema>;
export type BandwidthFault = z.output<typeof networkBandwidthSchema>;
export type LatencyFault = z.output<typeof networkLatencySchema>;
export type JitterFault = z.output<typeof networkJitterSchema>;
export type CorruptFault = z.output<typeof networkCorruptSchema>;
export type NetworkFault = PartitionFault | LossFault | BandwidthFault | LatencyFault | JitterFault | CorruptFault;
