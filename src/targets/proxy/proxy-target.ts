/** The `proxy:` kind: a fault proxy the runner starts in front of a TCP/HTTP service for the whole drill. */
import type { z } from 'zod';
import type { TargetResolver } from '../contract.js';
import { isSameProcess } from '../process/proc.js';
import { ManagedProxy } from './managed-proxy.js';
import { proxySpecSchema, type ProxySpec } from './schema.js';

export const proxyTarget: TargetResolver<ProxySpec, z.input<typeof proxySpecSchema>> = {
  kind: 'proxy',
  schema: proxySpecSchema,
  example: { listen: '127.0.0.1:7001', upstream: '127.0.0.1:6379' },
  recordKind: 'managed',
  describe: (spec) => `fault proxy ${spec.listen.host}:${spec.listen.port} → ${spec.upstream.host}:${spec.upstream.port}`,
  start: {
    // first: a runner-managed client may point at a proxy from its first request
    order: 0,
    async run(name, spec, ctx) {
      const proxy = new ManagedProxy(name, spec, ctx.seed);
      ctx.proxies.add(proxy);
      return proxy.start(ctx.signal);
    },
  },
  async resolve(name, _spec, ctx) {
    const instance = ctx.started?.proxies?.get(name)?.instance;
    return { instances: instance ? [instance] : [], resolvedBy: 'fault proxy started by the runner for this drill' };
  },
  stillSame: async (instance, now) => now.some((i) => i.pid === instance.pid) && (await isSameProcess(instance.pid, instance.startTime)),
  label: (instance) => `pid ${instance.pid}`,
};
