/** The `command` fault's fields: the escape hatch, the user's own inject and revert commands. */
import * as z from 'zod';
import { command, timeoutDuration } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

export const commandFaultSchema = z.strictObject({
  type: faultType('command', 'Run your own inject command; revert runs your revert command'),
  ...faultEnvelope,
  inject: command.meta({ description: 'The command that breaks something (argv list preferred; a string runs in /bin/sh)', examples: [['redis-cli', '-p', '6379', 'CLIENT', 'PAUSE', '30000']] }),
  revert: command.meta({ description: 'The command that undoes it: idempotent, it may run more than once (retries, recover)', examples: [['redis-cli', '-p', '6379', 'CLIENT', 'UNPAUSE']] }),
  timeout: timeoutDuration.prefault('30s').meta({ description: 'The longest each run of inject or revert may take before it is stopped (SIGTERM, then SIGKILL)', examples: ['30s'] }),
  env: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .prefault({})
    .meta({ description: 'Extra environment for both commands', examples: [{ REDIS_PORT: '6379' }] }),
});

export type CommandFault = z.output<typeof commandFaultSchema>;
