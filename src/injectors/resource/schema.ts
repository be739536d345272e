/** The host resource faults' fields: CPU load and memory held by worker processes firedrill starts. */
import * as z from 'zod';
import { share } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

const percent = share({ allowZero: true, example: '5%' });

export const cpuStressSchema = z.strictObject({
  type: faultType('cpu-stress', 'Load the target\'s CPUs with worker processes (stress-ng when installed); revert stops them'),
  ...faultEnvelope,
  workers: z.number().int().min(1).max(64).default(1).meta({ description: 'How many CPU workers run (one CPU each, at most 64)', examples: [2] }),
  load: percent.prefault('100%').meta({ description: 'Load per worker', examples: ['80%'] }),
});

export const memoryPressureSchema = z.strictObject({
  type: faultType('memory-pressure', 'Hold memory on the target\'s host with worker processes; revert frees it'),
  ...faultEnvelope,
  size: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KiB|MiB|GiB|K|M|G|%)$/, 'write a size like 256MiB, 1GiB or 20% (of available memory)')
    .meta({ description: 'Memory to hold: 256MiB, 1GiB, or a share of available memory (20%); preflight refuses more than 80% of what is available', examples: ['256MiB', '20%'] }),
  workers: z.number().int().min(1).max(16).default(1).meta({ description: 'How many workers share the size (at most 16)', examples: [2] }),
});

export type CpuFault = z.output<typeof cpuStressSchema>;
export type MemoryFault = z.output<typeof memoryPressureSchema>;
