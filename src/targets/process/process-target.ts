/** The `process:` kind: processes already running on this machine, by command line, pid file, port or pid. */
import { resolve as resolvePath } from 'node:path';
import type { z } from 'zod';
import type { TargetResolver } from '../contract.js';
import { isSameProcess } from './proc.js';
import { resolveProcess } from './resolve-process.js';
import { describeProcessSelector, processSelectorSchema, type ProcessSelector } from './schema.js';

export const processTarget: TargetResolver<ProcessSelector, z.input<typeof processSelectorSchema>> = {
  kind: 'process',
  schema: processSelectorSchema,
  example: { match: 'redis-server' },
  recordKind: 'process',
  describe: describeProcessSelector,
  resolve(_name, spec, ctx) {
    // a relative pid file is relative to the drill file, like every other path in it
    const selector = spec.pidFile ? { ...spec, pidFile: resolvePath(ctx.baseDir, spec.pidFile) } : spec;
    return resolveProcess(selector, ctx);
  },
  stillSame: async (instance, now) => now.some((i) => i.pid === instance.pid) && (await isSameProcess(instance.pid, instance.startTime)),
  label: (instance) => `pid ${instance.pid}`,
};
