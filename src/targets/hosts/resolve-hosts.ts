/**
 * Resolves a `hosts:` target over the fleet: first the hosts (blastRadius.hosts: count/percent of
 * the fleet), then on each chosen host its processes (resolved *on the host* through its executor)
 * and the instances per host (blastRadius.select). Without `process:` the host itself is the
 * instance (pid 0), for network faults.
 */
import type { TargetInstance } from '../contract.js';
import { toInstance } from '../instance.js';
import { whyNotTargetable, type ProcessInfo } from '../process/candidates.js';
import { describeProcessSelector } from '../process/schema.js';
import { compileRegex, isRegexLiteral } from '../regex-literal.js';
import { selectInstances, type SelectionSpec } from '../select.js';
import { formatHostAddress } from '../../ssh/host-address.js';
import { quote } from '../../lease/watchdog-script.js';
import { settleBounded } from './bounded.js';
import { checkEngine } from '../../docker/engine.js';
import { containerInstance, containersOn } from '../container/resolve-container.js';
import { describeSelector } from '../container/selector.js';
import { FiredrillError } from '../../errors.js';
import type { InventoryHost } from '../../inventory/inventory.js';
import type { HostFleet } from './host-fleet.js';
import { hostsOfSpec } from './hosts-of-spec.js';
import type { HostsSpec } from './schema.js';

export interface HostsResolution {
  /** every instance found on the chosen hosts, plus one record per host not chosen */
  instances: (TargetInstance & { selected: boolean })[];
  picked: TargetInstance[];
  resolvedBy: string;
  selection: string;
}

/** The instance that stands for a host itself (network faults act on its own network stack). */
export function hostInstance(name: string, address: string): TargetInstance {
  return { id: name, pid: 0, startTime: '0', command: `host ${name} (${address})`, managed: false, host: name };
}

export async function resolveHosts(spec: HostsSpec, fleet: HostFleet, options: { seed: number; baseDir: string; signal: AbortSignal; radius: { select: SelectionSpec; hosts: SelectionSpec } }): Promise<HostsResolution> {
  const all = hostsOfSpec(spec, options.baseDir);
  const hostPick = selectInstances(all, options.radius.hosts, options.seed);
  const chosen = new Set(hostPick.selected.map((h) => h.name));
  const source = spec.list ? `${all.length} listed hosts` : `inventory ${spec.inventory} group ${spec.group} (${all.length} hosts)`;
  const out: HostsResolution['instances'] = [];
  const picked: TargetInstance[] = [];
  if (!spec.process && !spec.container) {
    for (const h of all) {
      const inst = hostInstance(h.name, formatHostAddress(h.address));
      out.push({ ...inst, selected: chosen.has(h.name) });
      if (chosen.has(h.name)) picked.push(inst);
    }
    return { instances: out, picked, resolvedBy: `${source}: the hosts themselves`, selection: `hosts: ${hostPick.description}` };
  }
  if (spec.container) return resolveHostContainers(spec, fleet, options, { all, hostPick, source });
  const selector = spec.process as NonNullable<HostsSpec['process']>;
  const perHost = await settleBounded(
    hostPick.selected,
    fleet.parallel,
    async (h, signal) => {
      const executor = fleet.executor(h.name);
      const [procs, protectedPids] = await Promise.all([executor.listProcesses(signal), executor.protectedPids()]);
      const excluded = excludedOnHost(procs, protectedPids);
      const eligible = procs.filter((p) => whyNotTargetable(p, excluded) === undefined && !p.cmdline.includes('firedrill-lease'));
      let found: ProcessInfo[];
      if (selector.match !== undefined) {
        const re = isRegexLiteral(selector.match) ? compileRegex(selector.match, 'process.match') : undefined;
        found = eligible.filter((p) => (re ? re.test(p.cmdline) : p.cmdline.includes(selector.match as string)));
      } else if (selector.pid !== undefined) {
        found = eligible.filter((p) => p.pid === selector.pid);
      } else if (selector.pidFile !== undefined) {
        const r = await executor.sh(`cat ${quote(selector.pidFile)}`, { timeoutMs: 5000 });
        const pid = Number(r.stdout.trim());
        found = eligible.filter((p) => p.pid === pid);
      } else {
        const r = await executor.sh(`ss -Hltnp 'sport = :${String(selector.port)}' 2>/dev/null`, { timeoutMs: 5000 });
        const pids = new Set([...r.stdout.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])));
        found = eligible.filter((p) => pids.has(p.pid));
      }
      return found.map((p) => ({ ...toInstance({ id: `${h.name}/pid:${p.pid}`, pid: p.pid, startTime: p.startTime, cmdline: p.cmdline, managed: false }), host: h.name }));
    },
    options.signal,
  );
  const perHostDescriptions: string[] = [];
  hostPick.selected.forEach((h, i) => {
    const r = perHost[i];
    if (!r || r.status === 'rejected') throw r?.reason ?? new Error(`host ${h.name}: no answer`);
    const sel = selectInstances(r.value, options.radius.select, options.seed + i);
    const ids = new Set(sel.selected.map((x) => x.id));
    perHostDescriptions.push(`${h.name}: ${r.value.length === 0 ? 'none found' : sel.description}`);
    for (const inst of r.value) out.push({ ...inst, selected: ids.has(inst.id) });
    picked.push(...sel.selected);
  });
  for (const h of all) if (!chosen.has(h.name)) out.push({ ...hostInstance(h.name, formatHostAddress(h.address)), command: `host ${h.name} (not chosen)`, selected: false });
  return { instances: out, picked, resolvedBy: `${source}; on each: ${describeProcessSelector(selector)}`, selection: `hosts: ${hostPick.description}; per host: ${perHostDescriptions.join(', ')}` };
}

/** Our own SSH session on the host (and everything it runs) and its ancestors are never targets. */
function excludedOnHost(procs: readonly ProcessInfo[], protectedPids: ReadonlySet<number>): Set<number> {
  const excluded = new Set(protectedPids);
  // the session process is the first ancestor of our shell: exclude every channel it runs
  const session = [...protectedPids].find((pid) => pid !== 1 && procs.some((p) => p.pid === pid && p.cmdline.startsWith('sshd:') && !p.cmdline.includes('[listener]') && !p.cmdline.includes('-D')));
  const stack = session !== undefined ? [session] : [];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    for (const p of procs) if (p.ppid === pid && !excluded.has(p.pid)) {
      excluded.add(p.pid);
      stack.push(p.pid);
    }
  }
  return excluded;
}

/** `container:` on each chosen host: the running containers of that host's Docker engine, over its SSH connection. */
async function resolveHostContainers(
  spec: HostsSpec,
  fleet: HostFleet,
  options: { seed: number; signal: AbortSignal; radius: { select: SelectionSpec; hosts: SelectionSpec } },
  found: { all: InventoryHost[]; hostPick: { selected: InventoryHost[]; description: string }; source: string },
): Promise<HostsResolution> {
  const selector = spec.container as NonNullable<HostsSpec['container']>;
  const chosen = new Set(found.hostPick.selected.map((h) => h.name));
  // each host listens on a child of the run's signal (one listener on it for the whole fan-out)
  const perHost = await settleBounded(
    found.hostPick.selected,
    fleet.parallel,
    async (h, signal) => {
      const executor = fleet.executor(h.name);
      if (!executor.dockerEngine) throw new FiredrillError('FD_PREFLIGHT_FAILED', `host ${h.name} offers no Docker engine`, { host: h.name });
      const engine = await checkEngine(await executor.dockerEngine(), signal, 'FD_PREFLIGHT_FAILED');
      return (await containersOn(engine, selector, signal)).map((s) => ({ ...containerInstance(s), id: `${h.name}/${s.name}`, host: h.name }));
    },
    options.signal,
  );
  const out: HostsResolution['instances'] = [];
  const picked: TargetInstance[] = [];
  const descriptions: string[] = [];
  found.hostPick.selected.forEach((h, i) => {
    const r = perHost[i];
    if (!r || r.status === 'rejected') throw r?.reason ?? new Error(`host ${h.name}: no answer`);
    const sel = selectInstances(r.value, options.radius.select, options.seed + i);
    const ids = new Set(sel.selected.map((x) => x.id));
    descriptions.push(`${h.name}: ${r.value.length === 0 ? 'none found' : sel.description}`);
    for (const inst of r.value) out.push({ ...inst, selected: ids.has(inst.id) });
    picked.push(...sel.selected);
  });
  for (const h of found.all) if (!chosen.has(h.name)) out.push({ ...hostInstance(h.name, formatHostAddress(h.address)), command: `host ${h.name} (not chosen)`, selected: false });
  return { instances: out, picked, resolvedBy: `${found.source}; on each: ${describeSelector(selector)} on the host's Docker engine`, selection: `hosts: ${found.hostPick.description}; per host: ${descriptions.join(', ')}` };
}
