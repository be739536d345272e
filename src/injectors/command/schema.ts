/** The `command` fault's fields: the escape hatch, the user's own inject and revert commands. */
import { z } from 'zod';
import { command, timeoutDuration } from '../../values/schema-values.js';
import { faultEnvelope } from '../fault-envelope.js';

export const commandFaultSchema = z.strictObject({
  type: z.literal('command'),
  ...faultEnvelope,
  inject: command,
  revert: command,
  timeout: timeoutDuration.prefault('30s'),
  env: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
});

export type CommandFault = z.output<typeof commandFaultSchema>;
