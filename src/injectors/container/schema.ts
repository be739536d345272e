/** The container faults' fields: they act through the Docker engine on `container:` targets. */
import * as z from 'zod';
import { durationBetween, share, signal } from '../../values/schema-values.js';
import { faultEnvelope, faultType } from '../fault-envelope.js';

const percent = share({ allowZero: true, example: '5%' });

const stopTimeout = durationBetween(0, 600_000)
  .prefault('10s')
  .meta({ description: 'Grace the engine gives the container before SIGKILL (docker stop -t)', examples: ['10s'] });

export const containerPauseSchema = z.strictObject({
  type: faultType('container-pause', 'Freeze the container\'s processes (docker pause); revert unpauses it'),
  ...faultEnvelope,
});

export const containerStopSchema = z.strictObject({
  type: faultType('container-stop', 'Stop the container (docker stop); revert starts it again'),
  ...faultEnvelope,
  stopTimeout,
});

export const containerKillSchema = z.strictObject({
  type: faultType('container-kill', 'Kill the container\'s main process (docker kill); revert starts it again unless restart: false'),
  ...faultEnvelope,
  signal: signal.default('SIGKILL').meta({ description: 'The signal the engine sends (docker kill -s)', examples: ['SIGKILL', 'SIGTERM'] }),
  restart: z.boolean().default(true).meta({ description: 'Start the container again on revert when it is not running', examples: [true] }),
  allowIrreversible: z
    .boolean()
    .default(false)
    .meta({ description: 'Acknowledge a kill that cannot be undone (restart: false, or a container the engine removes when it exits)', examples: [true] }),
});

export const containerRestartSchema = z.strictObject({
  type: faultType('container-restart', 'Restart the container (stop within stopTimeout, then start) when the fault starts; revert starts it if it stayed stopped'),
  ...faultEnvelope,
  stopTimeout,
});

export const containerStressSchema = z
  .strictObject({
    type: faultType('container-stress', 'CPU or memory stress inside the container\'s own cgroup (a stress-ng helper container); revert removes it'),
    ...faultEnvelope,
    resource: z.enum(['cpu', 'memory']).default('cpu').meta({ description: 'What to stress: cpu (workers at load) or memory (size)', examples: ['memory'] }),
    workers: z.number().int().min(1).max(64).default(1).meta({ description: 'How many stress workers run in the container (at most 64)', examples: [2] }),
    load: percent.prefault('100%').meta({ description: 'cpu: load per worker', examples: ['80%'] }),
    size: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KiB|MiB|GiB|K|M|G|%)$/, 'write a size like 64MiB, 1GiB or 50% (of the container\'s memory limit)')
      .optional()
      .meta({ description: 'memory: how much to hold, e.g. 64MiB or 50% of the container\'s memory limit', examples: ['64MiB', '50%'] }),
    image: z
      .string()
      .min(1)
      .default('firedrill/stress-ng')
      .meta({ description: 'A local image whose entrypoint is stress-ng; it runs inside the target\'s cgroup', examples: ['firedrill/stress-ng'] }),
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
