/** `targets.<name>.start`: a process the runner starts before the drill and stops after it. */
import * as z from 'zod';
import { command, duration, signal, timeoutDuration } from '../../values/schema-values.js';

const readinessSchema = z.strictObject({
  http: z.string().url().optional().meta({ description: 'Ready when this URL answers 2xx/3xx', examples: ['http://127.0.0.1:8080/health'] }),
  tcp: z.string().optional().meta({ description: 'Ready when host:port accepts a connection', examples: ['127.0.0.1:6379'] }),
  log: z.string().optional().meta({ description: 'Ready when stdout/stderr prints a line matching this regex', examples: ['Ready to accept connections'] }),
  timeout: timeoutDuration.prefault('15s').meta({ description: 'How long the process may take to become ready before the run is refused', examples: ['15s'] }),
});

export const startSpecSchema = z.strictObject({
  command: command.meta({ description: 'The command that starts it, run in cwd (argv list preferred; a string runs in /bin/sh)', examples: [['node', 'server.js']] }),
  cwd: z.string().optional().meta({ description: 'Its working directory, relative to the drill file; default: the drill\'s folder', examples: ['../service'] }),
  env: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .prefault({})
    .meta({ description: 'Extra environment for it; values may use ${port:NAME}', examples: [{ PORT: '${port:web}' }] }),
  ready: readinessSchema.optional().meta({ description: 'When it counts as started: a URL, a TCP port or a log line', examples: [{ http: 'http://127.0.0.1:8080/health', timeout: '10s' }] }),
  stopSignal: signal.default('SIGTERM').meta({ description: 'The signal that stops it after the drill', examples: ['SIGINT'] }),
  stopTimeout: duration.prefault('5s').meta({ description: 'How long it may take to stop before SIGKILL', examples: ['5s'] }),
}).meta({ examples: [{ command: ['node', 'server.js'], env: { PORT: '${port:web}' }, ready: { http: 'http://127.0.0.1:${port:web}/health' } }] });

export type StartSpec = z.output<typeof startSpecSchema>;
export type ReadySpec = NonNullable<StartSpec['ready']>;
