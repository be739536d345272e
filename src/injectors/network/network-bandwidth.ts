/**
 * `network-bandwidth`: cap what the target sends with a token bucket (`tc tbf`) on its
 * namespace's interfaces. Packets past the cap wait up to `queueLatency`, then are dropped, like
 * on a slow link.
 */
import { formatDurationMs } from '../../values/duration.js';
import { formatBytes } from '../resource/memory-size.js';
import { defaultBurstBytes } from './qdisc.js';
import { qdiscInjector } from './qdisc-fault.js';
import { networkBandwidthSchema, type BandwidthFault } from './schema.js';


/** `1 mbit/s`, `512 kbit/s`. */
export function formatRate(bits: number): string {
  for (const [unit, size] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) {
    if (bits >= size) return `${Number((bits / size).toPrecision(4))} ${unit}/s`;
  }
  return `${bits} bit/s`;
}

export const networkBandwidth = qdiscInjector<BandwidthFault>({
  type: 'network-bandwidth',
  example: { type: 'network-bandwidth', target: 'api', duration: '20s', rate: '1mbit' },
  schema: networkBandwidthSchema,
  spec: (fault) => ({ kind: 'tbf', rateBits: fault.rate, burstBytes: fault.burst ?? defaultBurstBytes(fault.rate), latencyMs: fault.queueLatency }),
  describe: (fault) =>
    `limit outgoing traffic to ${formatRate(fault.rate)} (burst ${formatBytes(fault.burst ?? defaultBurstBytes(fault.rate))}, queue at most ${formatDurationMs(fault.queueLatency)})`,
});
