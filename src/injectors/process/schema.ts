/** The process faults' fields: they act on one process (and its tree) through signals. */
import * as z from 'zod';
import { signal } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

export const processPauseSchema = z.strictObject({
  type: faultType('process-pause', 'Freeze the target process (SIGSTOP); revert resumes it (SIGCONT)'),
  ...faultEnvelope,
  tree: z.boolean().default(false).meta({ description: 'Also pause the target\'s child processes', examples: [true] }),
});

export const processKillSchema = z.strictObject({
  type: faultType('process-kill', 'Kill the target process; revert restarts it when the runner started it (start: targets)'),
  ...faultEnvelope,
  signal: signal.default('SIGKILL').meta({ description: 'The signal that kills it', examples: ['SIGKILL', 'SIGTERM'] }),
  restart: z.boolean().default(true).meta({ description: 'Restart runner-managed targets on revert', examples: [true] }),
  allowIrreversible: z
    .boolean()
    .default(false)
    .meta({ description: 'Acknowledge that killing a process the runner did not start cannot be undone', examples: [true] }),
});

export const processSignalSchema = z.strictObject({
  type: faultType('process-signal', 'Send the target a signal (e.g. SIGUSR1 to toggle a mode); revert sends revertSignal if given'),
  ...faultEnvelope,
  signal: signal.meta({ description: 'The signal sent when the fault starts', examples: ['SIGUSR1', 'SIGHUP'] }),
  revertSignal: signal.optional().meta({ description: 'Sent on revert, e.g. to toggle a mode back', examples: ['SIGUSR2'] }),
});

export type PauseFault = z.output<typeof processPauseSchema>;
export type KillFault = z.output<typeof processKillSchema>;
export type SignalFault = z.output<typeof processSignalSchema>;
