/**
 * Starts runner-managed targets, resolves process targets, and picks the instances inside the
 * blast radius. Refuses (FD_TARGET_NOT_FOUND / FD_BLAST_RADIUS_EXCEEDED) instead of guessing.
 */
import { resolve as resolvePath } from 'node:path';
import type { Drill } from '../drill/schema.js';
import { FiredrillError } from '../errors.js';
import type { TargetRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { TargetInstance } from '../targets/contract.js';
import { ManagedProcess } from '../targets/managed/managed-process.js';
import { ManagedTargets } from '../targets/managed/managed-targets.js';
import { isSameProcess, selfAndAncestors } from '../targets/process/proc.js';
import { resolveProcess } from '../targets/process/resolve-process.js';
import { resolveContainers } from '../targets/container/resolve-container.js';
import { whyContainerChanged } from '../targets/container/same-container.js';
import { ManagedProxy } from '../targets/proxy/managed-proxy.js';
import type { ProxyTargets } from '../targets/proxy/proxy-targets.js';
import { selectInstances } from '../targets/select.js';
import type { Fleet } from '../fleet/fleet.js';
import { resolveHosts } from '../fleet/resolve-hosts.js';

export interface PreparedTargets {
  records: TargetRecord[];
  /** selected instances per blast-radius target */
  selected: Map<string, TargetInstance[]>;
}

/** Starts every `start:` target (in declaration order); the caller stops them with `managed.stopAll()`. */
export async function startManagedTargets(
  drill: Drill,
  managed: ManagedTargets,
  options: { baseDir: string; logger: Logger; signal: AbortSignal; proxies: ProxyTargets; seed: number; onStarted: (name: string, instance: TargetInstance) => void },
): Promise<void> {
  // proxies first: a runner-managed client may point at a proxy from its first request
  for (const [name, spec] of Object.entries(drill.targets)) {
    if (!spec.proxy) continue;
    const proxy = new ManagedProxy(name, spec.proxy, options.seed);
    options.proxies.add(proxy);
    options.onStarted(name, await proxy.start(options.signal));
  }
  for (const [name, spec] of Object.entries(drill.targets)) {
    if (!spec.start) continue;
    const mp = new ManagedProcess(name, spec.start, { baseDir: options.baseDir, logger: options.logger });
    managed.add(name, mp);
    const instance = await mp.start(options.signal);
    options.onStarted(name, instance);
  }
}

/** Resolves every target now and applies the blast-radius selection and limits. */
export async function resolveTargets(
  drill: Drill,
  managed: ManagedTargets | undefined,
  options: { seed: number; signal: AbortSignal; baseDir: string; proxies?: ProxyTargets; extraProtectedPids?: Iterable<number>; fleet?: Fleet },
): Promise<PreparedTargets> {
  const protectedPids = await selfAndAncestors();
  for (const pid of options.extraProtectedPids ?? []) protectedPids.add(pid);
  const records: TargetRecord[] = [];
  const selected = new Map<string, TargetInstance[]>();
  const inRadius = new Set(drill.blastRadius.target);

  for (const [name, spec] of Object.entries(drill.targets)) {
    let instances: TargetInstance[];
    let resolvedBy: string;
    if (spec.hosts) {
      if (!options.fleet) throw new FiredrillError('FD_INTERNAL', `target ${name} names remote hosts, but no fleet was connected`, { target: name });
      // hosts first, then instances per host: the blast radius counts across the fleet (see fleet/resolve-hosts.ts)
      const r = await resolveHosts(drill, spec.hosts, options.fleet, { seed: options.seed, baseDir: options.baseDir, signal: options.signal });
      if (inRadius.has(name)) {
        if (r.picked.length === 0) throw new FiredrillError('FD_TARGET_NOT_FOUND', `target ${name} resolves to nothing on the chosen hosts (${r.resolvedBy}; ${r.selection})`, { target: name });
        selected.set(name, r.picked);
      }
      records.push({
        name,
        kind: 'hosts',
        resolvedBy: r.resolvedBy,
        selection: inRadius.has(name) ? r.selection : 'not in the blast radius: never touched',
        instances: r.instances.map((i) => ({ id: i.id, pid: i.pid, command: i.command, managed: false, selected: inRadius.has(name) && i.selected, ...(i.host ? { host: i.host } : {}) })),
      });
      continue;
    }
    const startedByRunner = spec.start ?? spec.proxy;
    if (startedByRunner && !managed) {
      // plan: the runner starts this target only when the drill runs
      const what = spec.start
        ? Array.isArray(spec.start.command) ? spec.start.command.join(' ') : spec.start.command
        : spec.proxy
          ? `fault proxy ${spec.proxy.listen.host}:${spec.proxy.listen.port} → ${spec.proxy.upstream.host}:${spec.proxy.upstream.port}`
          : '';
      const inRadiusNote = inRadius.has(name) ? 'selected: the one process the runner starts' : 'not in the blast radius: never touched';
      records.push({ name, kind: 'managed', resolvedBy: `started by the runner at run time: ${what}`, selection: inRadiusNote, instances: [] });
      if (inRadius.has(name)) selected.set(name, []);
      continue;
    } else if (spec.proxy) {
      const instance = options.proxies?.get(name)?.instance;
      instances = instance ? [instance] : [];
      resolvedBy = `fault proxy started by the runner for this drill`;
    } else if (spec.start) {
      const instance = managed?.get(name)?.instance;
      instances = instance ? [instance] : [];
      resolvedBy = 'started by the runner for this drill';
    } else if (spec.process) {
      // a relative pid file is relative to the drill file, like every other path in it
      const selector = spec.process.pidFile ? { ...spec.process, pidFile: resolvePath(options.baseDir, spec.process.pidFile) } : spec.process;
      const resolution = await resolveProcess(selector, { signal: options.signal, protectedPids });
      instances = resolution.instances;
      resolvedBy = resolution.resolvedBy;
    } else if (spec.container) {
      const resolution = await resolveContainers(spec.container, { signal: options.signal, protectedPids });
      instances = resolution.instances;
      resolvedBy = resolution.resolvedBy;
    } else {
      continue;
    }
    let picked: TargetInstance[] = [];
    let selection = 'not in the blast radius: never touched';
    if (inRadius.has(name)) {
      if (instances.length === 0) {
        throw new FiredrillError('FD_TARGET_NOT_FOUND', `target ${name} resolves to nothing (${resolvedBy}); is the service running?`, { target: name });
      }
      const result = selectInstances(instances, drill.blastRadius.select, options.seed);
      picked = result.selected;
      selection = result.description;
      selected.set(name, picked);
    }
    const pickedIds = new Set(picked.map((i) => i.id));
    records.push({
      name,
      kind: spec.start || spec.proxy ? 'managed' : spec.container ? 'container' : 'process',
      resolvedBy,
      selection,
      instances: instances.map((i) => ({ id: i.id, pid: i.pid, command: i.command, managed: i.managed, selected: pickedIds.has(i.id) })),
    });
  }

  const pendingManaged = managed ? 0 : [...selected].filter(([name]) => drill.targets[name]?.start ?? drill.targets[name]?.proxy).length;
  const total = [...selected.values()].reduce((n, list) => n + list.length, 0) + pendingManaged;
  if (total === 0) {
    throw new FiredrillError('FD_TARGET_NOT_FOUND', 'the blast radius selects no target instance; nothing would be tested', {});
  }
  if (total > drill.blastRadius.maxTargets) {
    throw new FiredrillError(
      'FD_BLAST_RADIUS_EXCEEDED',
      `the selection picks ${total} target instances but maxTargets is ${drill.blastRadius.maxTargets}; narrow the selector or raise maxTargets deliberately`,
      { total, maxTargets: drill.blastRadius.maxTargets },
    );
  }
  return { records, selected };
}

/**
 * Inject-time re-check: targets can change between plan and inject. Every chosen instance must
 * still be the same process and still match its target's selector, and the limits must still hold.
 */
export async function recheckTargets(
  drill: Drill,
  managed: ManagedTargets,
  prepared: PreparedTargets,
  options: { seed: number; signal: AbortSignal; baseDir: string; proxies?: ProxyTargets; fleet?: Fleet },
): Promise<void> {
  const now = await resolveTargets(drill, managed, options);
  for (const [name, chosen] of prepared.selected) {
    const record = now.records.find((r) => r.name === name);
    for (const instance of chosen) {
      if (instance.host !== undefined) {
        // same host, same pid and start time (the host itself: still reachable, which resolving just proved)
        const again = record?.instances.find((i) => i.id === instance.id && i.host === instance.host);
        const same = instance.pid === 0 ? again !== undefined : again !== undefined && (await options.fleet?.executor(instance.host).listProcesses(options.signal))?.some((p) => p.pid === instance.pid && p.startTime === instance.startTime);
        if (!same) {
          throw new FiredrillError('FD_TARGET_NOT_FOUND', `target ${name} ${instance.id} on ${instance.host} is gone, was replaced, or no longer matches since it was resolved; nothing was injected`, { target: name, host: instance.host });
        }
        continue;
      }
      // a container must still be the very same container (by id) and running; a process the same pid and start time
      const still = instance.container
        ? record?.instances.some((i) => i.id === instance.id) && (await whyContainerChanged(instance, options.signal)) === undefined
        : record?.instances.some((i) => i.pid === instance.pid) && (await isSameProcess(instance.pid, instance.startTime));
      if (!still) {
        throw new FiredrillError(
          'FD_TARGET_NOT_FOUND',
          `target ${name} ${instance.container ? `container ${instance.container.name}` : `pid ${instance.pid}`} is gone, was replaced, or no longer matches its selector since it was resolved; nothing was injected`,
          { target: name, pid: instance.pid },
        );
      }
    }
  }
}
