/** The host resource faults' fields: CPU load and memory held by worker processes firedrill starts. */
import { z } from 'zod';
import { share } from '../../values/schema-values.js';
import { faultEnvelope } from '../fault-envelope.js';

const percent = share({ allowZero: true, example: '5%' });

export const cpuStressSchema = z.strictObject({
  type: z.literal('cpu-stress'),
  ...faultEnvelope,
  workers: z.number().int().min(1).max(64).default(1),
  load: percent.prefault('100%').meta({ description: 'Load per worker' }),
});

export const memoryPressureSchema = z.strictObject({
  type: z.literal('memory-pressure'),
  ...faultEnvelope,
  size: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KiB|MiB|GiB|K|M|G|%)$/, 'write a size like 256MiB, 1GiB or 20% (of available memory)')
    .meta({ description: 'Memory to hold: 256MiB, 1GiB, or a share of available memory (20%)' }),
  workers: z.number().int().min(1).max(16).default(1),
});

export type CpuFault = z.output<typeof cpuStressSchema>;
export type MemoryFault = z.output<typeof memoryPressureSchema>;
