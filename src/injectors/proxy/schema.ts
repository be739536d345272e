/** `type: proxy` in a drill: the engine's toxic fields (targets/proxy/engine/schema.ts) plus the fault envelope. */
import type { z } from 'zod';
import { proxyFaultSchemaWith } from '../../targets/proxy/engine/schema.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

export type { ProxyFault } from '../../targets/proxy/engine/schema.js';

/** The toxic's own `id` names the fault. */
export const proxyDrillFaultSchema = proxyFaultSchemaWith({
  type: faultType('proxy', 'A fault of the built-in fault proxy in front of a proxy: target; toxic picks what it does'),
  target: faultEnvelope.target,
  startAfter: faultEnvelope.startAfter,
  duration: faultEnvelope.duration,
});
export type ProxyDrillFault = z.output<typeof proxyDrillFaultSchema>;
