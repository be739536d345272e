/**
 * refuse: new connections are reset as soon as they are accepted, before the upstream is dialed
 * (the client sees ECONNRESET). Connections that were open before the fault are left alone.
 */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const refuseToxic: Toxic<FaultOf<'refuse'>> = {
  name: 'refuse',
  accept: () => true,
};
