/**
 * `network-loss`: drop a share of the target's packets at random (nftables `numgen random`), each
 * packet drawn on its own, inside the target's network namespace.
 */
import { formatPercent } from '../../values/percent.js';
import { nftInjector } from './nft-fault.js';
import { networkLossSchema, type LossFault } from './schema.js';


export const networkLoss = nftInjector<LossFault>({
  type: 'network-loss',
  example: { type: 'network-loss', target: 'api', duration: '20s', loss: '30%' },
  schema: networkLossSchema,
  verdict: (fault) => ({ kind: 'loss', share: fault.loss }),
  verb: (fault) => `drop ${formatPercent(fault.loss)} of the packets with`,
});
