/**
 * The fields every fault shares (like toxiproxy's toxic envelope): which target, when, for how
 * long, and its name in the journal. Each injector's schema spreads these next to its own fields.
 */
import * as z from 'zod';
import { duration, name } from '../values/schema-values.js';

/** A fault's `type:` field, described for editor hover and the docs' field tables. */
export function faultType<T extends string>(type: T, description: string) {
  return z.literal(type).meta({ description, examples: [type] });
}

export const faultEnvelope = {
  id: name.optional().meta({ description: 'Name used in the journal and the report; defaults to type#index', examples: ['backend-freeze'] }),
  target: z.string().meta({ description: 'The target it acts on: a name under `targets:` that blastRadius.target lists', examples: ['backend'] }),
  startAfter: duration.prefault('0s').meta({ description: 'Offset from the start of the fault window', examples: ['5s'] }),
  duration: duration.meta({ description: 'How long the fault stays in place before it is reverted', examples: ['30s', '2m'] }),
};

/** The envelope as the code sees it (durations in milliseconds). */
export interface FaultEnvelope {
  type: string;
  id?: string;
  target: string;
  startAfter: number;
  duration: number;
}
