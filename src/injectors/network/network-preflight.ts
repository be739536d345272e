/**
 * What every network fault checks first: root, the tools, and each target's network namespace —
 * which must not be the host's own unless the fault says `allowHostNetwork: true`.
 */
import { errorMessage } from '../../errors.js';
import type { TargetInstance, TargetKind } from '../../targets/contract.js';
import type { InjectorContext } from '../contract.js';
import { findCommand } from '../resource/find-command.js';
import { describeNetns, hostNetnsInodes, namespaceOf, netnsPathOf, type NetnsRef } from './netns.js';

export type { NetworkFault } from './schema.js';
import type { NetworkFault } from './schema.js';

/** Network faults act in the namespace of the target's process: a container's main process counts. */
export const NETWORK_TARGETS: readonly TargetKind[] = ['process', 'start', 'container'];

/** One network namespace the fault acts in, with the selected instances that live there. */
export interface TargetNetns {
  ref: NetnsRef;
  /** enters the namespace (the first instance's /proc path) */
  path: string;
  instances: TargetInstance[];
  host: boolean;
}

const PACKAGE: Record<string, string> = { nft: 'nftables', tc: 'iproute2', ip: 'iproute2', nsenter: 'util-linux', unshare: 'util-linux' };

/** Root, the tools, and one entry per namespace; problems instead of exceptions. */
export async function networkPreflight(ctx: InjectorContext<NetworkFault>, tools: readonly string[]): Promise<{ problems: string[]; namespaces: TargetNetns[] }> {
  if (typeof process.geteuid === 'function' && process.geteuid() !== 0) {
    return { problems: [`${ctx.fault.type} needs root: it enters the target's network namespace and changes its rules (CAP_SYS_ADMIN, CAP_NET_ADMIN)`], namespaces: [] };
  }
  const problems: string[] = [];
  for (const tool of ['nsenter', ...tools]) {
    if ((await findCommand(tool)) === undefined) problems.push(`\`${tool}\` is not installed (Debian: apt-get install ${PACKAGE[tool] ?? tool})`);
  }
  const { namespaces, problems: found } = await targetNamespaces(ctx.instances);
  problems.push(...found);
  for (const ns of namespaces.filter((n) => n.host)) {
    if (ctx.fault.allowHostNetwork) {
      ctx.logger.warn({ fault: ctx.fault.id, netns: ns.ref.inode }, `${ctx.fault.type} acts in the host's own network namespace (allowHostNetwork: true)`);
      continue;
    }
    problems.push(
      `${describeTargets(ctx.fault.target, ns)} shares the host's network namespace: ${ctx.fault.type} there would also hit the runner, its probes and remote shells. ` +
        'Run the target in its own namespace (a container, `ip netns`), or set `allowHostNetwork: true` on the fault if the host is really what you mean',
    );
  }
  return { problems, namespaces };
}

/** `server pid 1234 (net:[4026532316])`, `container web-1 (net:[...])`: who lives in the namespace, for labels. */
export function describeTargets(target: string, ns: TargetNetns): string {
  const who = ns.instances.map((i) => (i.container ? `container ${i.container.name}` : `pid ${i.pid}`)).join(', ');
  return `${target} ${who} (${describeNetns(ns.ref)})`;
}

/** The selected instances grouped by network namespace (several processes may share one). */
export async function targetNamespaces(instances: readonly TargetInstance[]): Promise<{ namespaces: TargetNetns[]; problems: string[] }> {
  const host = await hostNetnsInodes();
  const byInode = new Map<number, TargetNetns>();
  const problems: string[] = [];
  for (const instance of instances) {
    try {
      const ref = await namespaceOf(instance, 'FD_PREFLIGHT_FAILED');
      const known = byInode.get(ref.inode);
      if (known) known.instances.push(instance);
      else byInode.set(ref.inode, { ref, path: netnsPathOf(ref.pid), instances: [instance], host: host.has(ref.inode) });
    } catch (e) {
      problems.push(errorMessage(e));
    }
  }
  return { namespaces: [...byInode.values()], problems };
}
