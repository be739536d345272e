/** The `start:` kind: a process the runner starts before the drill (in its own process group) and stops after it. */
import type { z } from 'zod';
import type { TargetResolver } from '../contract.js';
import { isSameProcess } from '../process/proc.js';
import { ManagedProcess } from './managed-process.js';
import { startSpecSchema, type StartSpec } from './schema.js';

export const startTarget: TargetResolver<StartSpec, z.input<typeof startSpecSchema>> = {
  kind: 'start',
  schema: startSpecSchema,
  example: { command: ['node', 'server.js'], ready: { http: 'http://127.0.0.1:8080/health' } },
  recordKind: 'managed',
  describe: (spec) => (Array.isArray(spec.command) ? spec.command.join(' ') : spec.command),
  start: {
    order: 1,
    async run(name, spec, ctx) {
      const mp = new ManagedProcess(name, spec, { baseDir: ctx.baseDir, logger: ctx.logger });
      ctx.managed.add(name, mp);
      return mp.start(ctx.signal);
    },
  },
  async resolve(name, _spec, ctx) {
    const instance = ctx.started?.managed.get(name)?.instance;
    return { instances: instance ? [instance] : [], resolvedBy: 'started by the runner for this drill' };
  },
  stillSame: async (instance, now) => now.some((i) => i.pid === instance.pid) && (await isSameProcess(instance.pid, instance.startTime)),
  label: (instance) => `pid ${instance.pid}`,
};
