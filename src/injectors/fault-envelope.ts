/**
 * The fields every fault shares (like toxiproxy's toxic envelope): which target, when, for how
 * long, and its name in the journal. Each injector's schema spreads these next to its own fields.
 */
import { z } from 'zod';
import { duration, name } from '../values/schema-values.js';

export const faultEnvelope = {
  id: name.optional().meta({ description: 'Name used in the journal; defaults to type#index' }),
  target: z.string(),
  startAfter: duration.prefault('0s').meta({ description: 'Offset from the start of the fault window' }),
  duration: duration.meta({ description: 'How long the fault stays in place before it is reverted' }),
};

/** The envelope as the code sees it (durations in milliseconds). */
export interface FaultEnvelope {
  type: string;
  id?: string;
  target: string;
  startAfter: number;
  duration: number;
}
