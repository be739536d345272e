/** `targets.<name>.start`: a process the runner starts before the drill and stops after it. */
import { z } from 'zod';
import { command, duration, signal, timeoutDuration } from '../../values/schema-values.js';

const readinessSchema = z.strictObject({
  http: z.string().url().optional().meta({ description: 'Ready when this URL answers 2xx/3xx' }),
  tcp: z.string().optional().meta({ description: 'Ready when host:port accepts a connection' }),
  log: z.string().optional().meta({ description: 'Ready when stdout/stderr prints a line matching this regex' }),
  timeout: timeoutDuration.prefault('15s'),
});

export const startSpecSchema = z.strictObject({
  command: command,
  cwd: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  ready: readinessSchema.optional(),
  stopSignal: signal.default('SIGTERM'),
  stopTimeout: duration.prefault('5s'),
});

export type StartSpec = z.output<typeof startSpecSchema>;
export type ReadySpec = NonNullable<StartSpec['ready']>;
