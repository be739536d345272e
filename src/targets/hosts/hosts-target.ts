/**
 * The `hosts:` kind: remote hosts over SSH (a list or an Ansible inventory), with processes
 * resolved on each host or the host itself. Its blast radius counts across the fleet: hosts first
 * (`blastRadius.hosts`), then instances per host (`blastRadius.select`).
 */
import { FiredrillError } from '../../errors.js';
import type { z } from 'zod';
import type { TargetResolver } from '../contract.js';
import { describeProcessSelector } from '../process/schema.js';
import { resolveHosts } from './resolve-hosts.js';
import { hostsSpecSchema, type HostsSpec } from './schema.js';
import { whyContainerChanged } from '../container/same-container.js';
import { describeSelector } from '../container/selector.js';

export const hostsTarget: TargetResolver<HostsSpec, z.input<typeof hostsSpecSchema>> = {
  kind: 'hosts',
  schema: hostsSpecSchema,
  example: { inventory: 'inventory.ini', group: 'web', process: { match: 'redis-server' }, lease: '5s' },
  recordKind: 'hosts',
  describe(spec) {
    const where = spec.list ? `hosts ${spec.list.join(', ')}` : `inventory ${spec.inventory} group ${spec.group}`;
    return `${where}${spec.jump ? ` through ${spec.jump}` : ''}; on each: ${spec.process ? describeProcessSelector(spec.process) : spec.container ? `${describeSelector(spec.container)} on its Docker engine` : 'the host itself'}`;
  },
  async resolve(name, spec, ctx) {
    if (!ctx.fleet) throw new FiredrillError('FD_INTERNAL', `target ${name} names remote hosts, but no fleet was connected`, { target: name });
    const r = await resolveHosts(spec, ctx.fleet, { seed: ctx.seed, baseDir: ctx.baseDir, signal: ctx.signal, radius: ctx.radius });
    return { instances: r.instances, resolvedBy: r.resolvedBy, picked: { selected: r.picked, description: r.selection } };
  },
  async stillSame(instance, now, ctx) {
    // same host, same pid and start time (the host itself: still reachable, which resolving just proved)
    const again = now.find((i) => i.id === instance.id && i.host === instance.host);
    if (!again || instance.host === undefined) return false;
    if (instance.pid === 0) return true;
    if (instance.container) {
      // the very same container (by id) on that host's engine, still running
      const engine = await ctx.fleet?.executor(instance.host).dockerEngine?.();
      return engine !== undefined && (await whyContainerChanged(instance, ctx.signal, engine)) === undefined;
    }
    const procs = await ctx.fleet?.executor(instance.host).listProcesses(ctx.signal);
    return procs?.some((p) => p.pid === instance.pid && p.startTime === instance.startTime) ?? false;
  },
  label: (instance) => `${instance.id} on ${instance.host ?? '?'}`,
};
