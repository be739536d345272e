/**
 * `network-loss`: drop a share of the target's packets at random (nftables `numgen random`), each
 * packet drawn on its own, inside the target's network namespace.
 */
import type { FaultSpec } from '../../drill/schema.js';
import { formatPercent } from '../../verdict/percent-text.js';
import { nftInjector } from './nft-fault.js';

type LossFault = Extract<FaultSpec, { type: 'network-loss' }>;

export const networkLoss = nftInjector<LossFault>({
  type: 'network-loss',
  verdict: (fault) => ({ kind: 'loss', share: fault.loss }),
  verb: (fault) => `drop ${formatPercent(fault.loss)} of the packets with`,
});
