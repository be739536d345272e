/** `process-limit`: the fields of the fault that lowers a process's open-files limit. */
import * as z from 'zod';
import { integerBetween } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

export const processLimitSchema = z.strictObject({
  type: faultType('process-limit', 'Lower the target process\'s open-files limit (prlimit); revert restores the limit it had'),
  ...faultEnvelope,
  openFiles: integerBetween(1, 1_048_576).meta({
    description: 'The soft limit of open files (RLIMIT_NOFILE) the process gets; files it already has stay open, new ones fail with EMFILE',
    examples: [64],
  }),
});

export type ProcessLimitFault = z.output<typeof processLimitSchema>;
