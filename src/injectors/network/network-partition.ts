/**
 * `network-partition`: drop (or reject) the target's traffic to and from a peer, inside the
 * target's network namespace. Drop looks like a dead network (timeouts); reject like a closed door
 * (TCP resets, ICMP unreachable), which makes clients fail fast.
 */
import type { FaultSpec } from '../../drill/schema.js';
import { nftInjector } from './nft-fault.js';

type PartitionFault = Extract<FaultSpec, { type: 'network-partition' }>;

export const networkPartition = nftInjector<PartitionFault>({
  type: 'network-partition',
  verdict: (fault) => ({ kind: fault.action }),
  verb: (fault) => `${fault.action} traffic with`,
});
