/** The container faults' fields: they act through the Docker engine on `container:` targets. */
import { z } from 'zod';
import { durationBetween, share, signal } from '../../values/schema-values.js';
import { faultEnvelope } from '../fault-envelope.js';

const percent = share({ allowZero: true, example: '5%' });

const stopTimeout = durationBetween(0, 600_000).prefault('10s').meta({ description: 'Grace the engine gives the container before SIGKILL (docker stop -t)' });

export const containerPauseSchema = z.strictObject({
  type: z.literal('container-pause'),
  ...faultEnvelope,
});

export const containerStopSchema = z.strictObject({
  type: z.literal('container-stop'),
  ...faultEnvelope,
  stopTimeout,
});

export const containerKillSchema = z.strictObject({
  type: z.literal('container-kill'),
  ...faultEnvelope,
  signal: signal.default('SIGKILL'),
  restart: z.boolean().default(true).meta({ description: 'Start the container again on revert when it is not running' }),
  allowIrreversible: z
    .boolean()
    .default(false)
    .meta({ description: 'Acknowledge a kill that cannot be undone (restart: false, or a container the engine removes when it exits)' }),
});

export const containerRestartSchema = z.strictObject({
  type: z.literal('container-restart'),
  ...faultEnvelope,
  stopTimeout,
});

export const containerStressSchema = z
  .strictObject({
    type: z.literal('container-stress'),
    ...faultEnvelope,
    resource: z.enum(['cpu', 'memory']).default('cpu'),
    workers: z.number().int().min(1).max(64).default(1),
    load: percent.prefault('100%').meta({ description: 'cpu: load per worker' }),
    size: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KiB|MiB|GiB|K|M|G|%)$/, 'write a size like 64MiB, 1GiB or 50% (of the container\'s memory limit)')
      .optional()
      .meta({ description: 'memory: how much to hold, e.g. 64MiB or 50% of the container\'s memory limit' }),
    image: z
      .string()
      .min(1)
      .default('firedrill/stress-ng')
      .meta({ description: 'A local image whose entrypoint is stress-ng; it runs inside the target\'s cgroup' }),
  })
  .refine((f) => (f.resource === 'memory') === (f.size !== undefined), {
    message: 'resource: memory needs `size:`, and `size` goes only with resource: memory',
    path: ['size'],
  });

export type ContainerPauseFault = z.output<typeof containerPauseSchema>;
export type ContainerStopFault = z.output<typeof containerStopSchema>;
export type ContainerKillFault = z.output<typeof containerKillSchema>;
export type ContainerRestartFault = z.output<typeof containerRestartSchema>;
export type ContainerStressFault = z.output<typeof containerStressSchema>;
