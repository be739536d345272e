/**
 * `network-latency`, `network-jitter`, `network-corrupt`: a netem root qdisc on the target's
 * namespace's interfaces, when the kernel has netem. Where it does not (sch_netem missing),
 * preflight refuses the drill (exit 4, nothing injected) and points to the fault proxy, which
 * delays and breaks streams in user space on any kernel.
 */
import { formatDurationMs } from '../../values/duration.js';
import { formatPercent } from '../../values/percent.js';
import type { InjectorContext } from '../contract.js';
import { netemSupport } from './netem-support.js';
import { qdiscInjector, type QdiscFault } from './qdisc-fault.js';

import { networkCorruptSchema, networkJitterSchema, networkLatencySchema, type CorruptFault, type JitterFault, type LatencyFault } from './schema.js';

/** What to use instead, per fault type, when the kernel has no netem. */
const INSTEAD: Record<string, string> = {
  'network-latency': "the fault proxy's `latency` toxic between the client and this service",
  'network-jitter': "the fault proxy's `latency` toxic with `jitter` between the client and this service",
  'network-corrupt': "the fault proxy between the client and this service (its `reset-peer`, `limit-data` and `slicer` toxics break a stream without netem)",
};

/** Refuses, with what to do instead, when netem is missing. */
async function needsNetem(ctx: InjectorContext<QdiscFault>): Promise<string[]> {
  const support = await netemSupport(ctx.signal);
  if (support.available === true) return [];
  if (support.available === 'unknown') return [`cannot tell whether this kernel has netem, which ${ctx.fault.type} needs (${support.reason})`];
  return [
    `${ctx.fault.type} needs netem, and this kernel has none (sch_netem: "${support.reason}"); nothing was injected. ` +
      `Use ${INSTEAD[ctx.fault.type] ?? 'the fault proxy'} instead: it works on any kernel`,
  ];
}

const jitterText = (ms: number | undefined): string => (ms ? ` ± ${formatDurationMs(ms)}` : '');

export const networkLatency = qdiscInjector<LatencyFault>({
  type: 'network-latency',
  example: { type: 'network-latency', target: 'api', duration: '20s', latency: '100ms', jitter: '20ms' },
  schema: networkLatencySchema,
  precondition: needsNetem,
  spec: (fault) => ({ kind: 'netem', delayMs: fault.latency, ...(fault.jitter !== undefined ? { jitterMs: fault.jitter } : {}) }),
  describe: (fault) => `delay outgoing packets by ${formatDurationMs(fault.latency)}${jitterText(fault.jitter)}`,
});

export const networkJitter = qdiscInjector<JitterFault>({
  type: 'network-jitter',
  example: { type: 'network-jitter', target: 'api', duration: '20s', jitter: '50ms' },
  schema: networkJitterSchema,
  precondition: needsNetem,
  spec: (fault) => ({ kind: 'netem', delayMs: fault.latency ?? fault.jitter, jitterMs: fault.jitter }),
  describe: (fault) => `delay outgoing packets by ${formatDurationMs(fault.latency ?? fault.jitter)}${jitterText(fault.jitter)}`,
});

export const networkCorrupt = qdiscInjector<CorruptFault>({
  type: 'network-corrupt',
  example: { type: 'network-corrupt', target: 'api', duration: '20s', corrupt: '1%' },
  schema: networkCorruptSchema,
  precondition: needsNetem,
  spec: (fault) => ({ kind: 'netem', corruptShare: fault.corrupt }),
  describe: (fault) => `corrupt ${formatPercent(fault.corrupt)} of outgoing packets`,
});
