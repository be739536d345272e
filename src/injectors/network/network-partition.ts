/**
 * `network-partition`: drop (or reject) the target's traffic to and from a peer, inside the
 * target's network namespace. Drop looks like a dead network (timeouts); reject like a closed door
 * (TCP resets, ICMP unreachable), which makes clients fail fast.
 */
import { nftInjector } from './nft-fault.js';
import { networkPartitionSchema, type PartitionFault } from './schema.js';


export const networkPartition = nftInjector<PartitionFault>({
  type: 'network-partition',
  example: { type: 'network-partition', target: 'api', duration: '20s', peer: '10.0.0.5', port: 5432 },
  schema: networkPartitionSchema,
  verdict: (fault) => ({ kind: fault.action }),
  verb: (fault) => `${fault.action} traffic with`,
});
