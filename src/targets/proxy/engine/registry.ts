/** The TCP toxics by name: adding one is a new file in toxics/ plus one line here. */
import type { Toxic } from './toxic.js';
import type { FaultOf, TcpFault } from './schema.js';
import { latencyToxic } from './toxics/latency.js';
import { bandwidthToxic } from './toxics/bandwidth.js';
import { timeoutToxic } from './toxics/timeout.js';
import { resetPeerToxic } from './toxics/reset-peer.js';
import { slowCloseToxic } from './toxics/slow-close.js';
import { slicerToxic } from './toxics/slicer.js';
import { limitDataToxic } from './toxics/limit-data.js';
import { refuseToxic } from './toxics/refuse.js';

export const toxics: { readonly [K in TcpFault['toxic']]: Toxic<FaultOf<K>> } = {
  latency: latencyToxic,
  bandwidth: bandwidthToxic,
  timeout: timeoutToxic,
  'reset-peer': resetPeerToxic,
  'slow-close': slowCloseToxic,
  slicer: slicerToxic,
  'limit-data': limitDataToxic,
  refuse: refuseToxic,
};

/** The toxic for a fault, typed loosely enough to call with that fault. */
export function toxicFor(fault: TcpFault): Toxic {
  return toxics[fault.toxic] as Toxic;
}
