/** The process faults' fields: they act on one process (and its tree) through signals. */
import { z } from 'zod';
import { signal } from '../../values/schema-values.js';
import { faultEnvelope } from '../fault-envelope.js';

export const processPauseSchema = z.strictObject({
  type: z.literal('process-pause'),
  ...faultEnvelope,
  tree: z.boolean().default(false).meta({ description: 'Also pause the target\'s child processes' }),
});

export const processKillSchema = z.strictObject({
  type: z.literal('process-kill'),
  ...faultEnvelope,
  signal: signal.default('SIGKILL'),
  restart: z.boolean().default(true).meta({ description: 'Restart runner-managed targets on revert' }),
  allowIrreversible: z
    .boolean()
    .default(false)
    .meta({ description: 'Acknowledge that killing a process the runner did not start cannot be undone' }),
});

export const processSignalSchema = z.strictObject({
  type: z.literal('process-signal'),
  ...faultEnvelope,
  signal: signal,
  revertSignal: signal.optional().meta({ description: 'Sent on revert, e.g. to toggle a mode back' }),
});

export type PauseFault = z.output<typeof processPauseSchema>;
export type KillFault = z.output<typeof processKillSchema>;
export type SignalFault = z.output<typeof processSignalSchema>;
