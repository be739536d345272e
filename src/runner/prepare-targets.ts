/**
 * Starts runner-managed targets, resolves every target through its kind (targets/registry.ts), and
 * picks the instances inside the blast radius. Refuses (FD_TARGET_NOT_FOUND /
 * FD_BLAST_RADIUS_EXCEEDED) instead of guessing. No kind is named here: each kind says how it is
 * started, resolved and re-checked.
 */
import type { Drill } from '../drill/schema.js';
import { FiredrillError } from '../errors.js';
import type { TargetRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { TargetInstance, TargetResolveContext } from '../targets/contract.js';
import type { HostFleet } from '../targets/hosts/host-fleet.js';
import type { ManagedTargets } from '../targets/managed/managed-targets.js';
import { selfAndAncestors } from '../targets/process/proc.js';
import type { ProxyTargets } from '../targets/proxy/proxy-targets.js';
import { kindOfTarget } from '../targets/registry.js';
import { selectInstances } from '../targets/select.js';

export interface PreparedTargets {
  records: TargetRecord[];
  /** selected instances per blast-radius target */
  selected: Map<string, TargetInstance[]>;
}

/** Starts every target the runner starts, kind by kind in the kinds' order, then in declaration order; the caller stops them. */
export async function startManagedTargets(
  drill: Drill,
  managed: ManagedTargets,
  options: { baseDir: string; logger: Logger; signal: AbortSignal; proxies: ProxyTargets; seed: number; onStarted: (name: string, instance: TargetInstance) => void },
): Promise<void> {
  const startable = Object.entries(drill.targets).flatMap(([name, t]) => {
    const { resolver, spec } = kindOfTarget(t);
    return resolver.start ? [{ name, spec, start: resolver.start }] : [];
  });
  // a stable sort: same order keeps declaration order
  startable.sort((a, b) => a.start.order - b.start.order);
  const ctx = { baseDir: options.baseDir, logger: options.logger, signal: options.signal, seed: options.seed, managed, proxies: options.proxies };
  for (const { name, spec, start } of startable) options.onStarted(name, await start.run(name, spec, ctx));
}

export interface ResolveOptions {
  seed: number;
  signal: AbortSignal;
  baseDir: string;
  proxies?: ProxyTargets;
  extraProtectedPids?: Iterable<number>;
  fleet?: HostFleet;
}

async function resolveContext(drill: Drill, managed: ManagedTargets | undefined, options: ResolveOptions): Promise<TargetResolveContext> {
  const protectedPids = await selfAndAncestors();
  for (const pid of options.extraProtectedPids ?? []) protectedPids.add(pid);
  return {
    signal: options.signal,
    protectedPids,
    baseDir: options.baseDir,
    seed: options.seed,
    radius: { select: drill.blastRadius.select, hosts: drill.blastRadius.hosts },
    ...(managed ? { started: { managed, proxies: options.proxies } } : {}),
    ...(options.fleet ? { fleet: options.fleet } : {}),
  };
}

/** Resolves every target now and applies the blast-radius selection and limits. */
export async function resolveTargets(drill: Drill, managed: ManagedTargets | undefined, options: ResolveOptions): Promise<PreparedTargets> {
  const ctx = await resolveContext(drill, managed, options);
  const records: TargetRecord[] = [];
  const selected = new Map<string, TargetInstance[]>();
  const inRadius = new Set(drill.blastRadius.target);
  let pending = 0;

  for (const [name, t] of Object.entries(drill.targets)) {
    const { resolver, spec } = kindOfTarget(t);
    if (resolver.start && !ctx.started) {
      // plan: the runner starts this target only when the drill runs
      const inRadiusNote = inRadius.has(name) ? 'selected: the one process the runner starts' : 'not in the blast radius: never touched';
      records.push({ name, kind: resolver.recordKind, resolvedBy: `started by the runner at run time: ${resolver.describe(spec)}`, selection: inRadiusNote, instances: [] });
      if (inRadius.has(name)) {
        selected.set(name, []);
        pending++;
      }
      continue;
    }
    const { instances, resolvedBy, picked: ownPick } = await resolver.resolve(name, spec, ctx);
    let picked: TargetInstance[] = [];
    let selection = 'not in the blast radius: never touched';
    if (inRadius.has(name)) {
      const result = ownPick ?? selectInstances(instances, drill.blastRadius.select, options.seed);
      if (result.selected.length === 0) {
        const why = ownPick ? `${resolvedBy}; ${ownPick.description}` : resolvedBy;
        throw new FiredrillError('FD_TARGET_NOT_FOUND', `target ${name} resolves to nothing (${why}); is the service running?`, { target: name });
      }
      picked = result.selected;
      selection = result.description;
      selected.set(name, picked);
    }
    const pickedIds = new Set(picked.map((i) => i.id));
    records.push({
      name,
      kind: resolver.recordKind,
      resolvedBy,
      selection,
      instances: instances.map((i) => ({ id: i.id, pid: i.pid, command: i.command, managed: i.managed, selected: pickedIds.has(i.id), ...(i.host !== undefined ? { host: i.host } : {}) })),
    });
  }

  const total = [...selected.values()].reduce((n, list) => n + list.length, 0) + pending;
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
 * still be the same one (its kind says what "same" means) and still match its target's selector,
 * and the limits must still hold.
 */
export async function recheckTargets(drill: Drill, managed: ManagedTargets, prepared: PreparedTargets, options: ResolveOptions): Promise<void> {
  const now = await resolveTargets(drill, managed, options);
  const ctx = await resolveContext(drill, managed, options);
  for (const [name, chosen] of prepared.selected) {
    const target = drill.targets[name];
    if (!target) continue;
    const { resolver } = kindOfTarget(target);
    const record = now.records.find((r) => r.name === name);
    for (const instance of chosen) {
      if (!record || !(await resolver.stillSame(instance, record.instances, ctx))) {
        throw new FiredrillError(
          'FD_TARGET_NOT_FOUND',
          `target ${name} ${resolver.label(instance)} is gone, was replaced, or no longer matches its selector since it was resolved; nothing was injected`,
          { target: name, pid: instance.pid, ...(instance.host !== undefined ? { host: instance.host } : {}) },
        );
      }
    }
  }
}
