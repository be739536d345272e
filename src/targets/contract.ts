/**
 * Target resolvers turn a drill's target declaration into the processes it names right now. Each
 * kind of target (the key under `targets.<name>`) is one `TargetResolver` in its own folder, listed
 * once in targets/registry.ts: it owns its schema fragment, how it is described, resolved and
 * re-checked, and (for the kinds the runner starts) how it is started. The runner has no per-kind
 * branches.
 */
import type { z } from 'zod';
import type { TargetRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { HostFleet } from './hosts/host-fleet.js';
import type { ManagedTargets } from './managed/managed-targets.js';
import type { ManagedProxy } from './proxy/managed-proxy.js';
import type { ProxyTargets } from './proxy/proxy-targets.js';
import type { SelectionSpec } from './select.js';

export type { TargetKind } from './target-kinds.js';

export interface TargetInstance {
  /** stable id inside a run, e.g. `backend/pid:1234` */
  id: string;
  pid: number;
  /** field 22 of /proc/<pid>/stat: guards against acting on a reused pid */
  startTime: string;
  command: string;
  managed: boolean;
  /**
   * Set for container targets: faults act on the container through the engine. `pid` is then the
   * container's main process as the engine host sees it (informative), and `startTime` the
   * engine's `State.StartedAt` (never a /proc value, so pid-based injectors refuse it).
   */
  container?: { id: string; name: string };
  /**
   * Set for `hosts:` targets: the inventory name of the remote host the instance lives on. Faults
   * act through that host's executor (executors/registry.ts); `pid` is then the pid *on that
   * host*, and 0 for the host itself (network faults).
   */
  host?: string;
}

export interface ResolveContext {
  signal: AbortSignal;
  /** pids that must never be selected: the runner, its ancestors, its helpers */
  protectedPids: ReadonlySet<number>;
}

export interface Resolution {
  instances: TargetInstance[];
  /** how they were found, for the plan and the report */
  resolvedBy: string;
}

/** Restarts runner-managed targets (what process-kill with `restart: true` needs). */
export interface RestartTargets {
  isManaged(instance: TargetInstance): boolean;
  restart(instance: TargetInstance, signal: AbortSignal): Promise<TargetInstance>;
}

/** The runner's fault proxies by target name (what proxy faults need to switch their toxics). */
export interface ProxyLookup {
  get(target: string): ManagedProxy | undefined;
}

/** What a kind has at hand while resolving (a plan has no runner-started targets yet). */
export interface TargetResolveContext extends ResolveContext {
  /** the drill file's folder: relative paths in a target are relative to it */
  baseDir: string;
  /** the run's seed, for random picks */
  seed: number;
  /** the blast radius: which instances; for kinds spread over hosts, which hosts first */
  radius: { select: SelectionSpec; hosts: SelectionSpec };
  /** the targets the runner started for this run; unset for a plan, before anything is started */
  started?: { managed: ManagedTargets; proxies?: ProxyTargets | undefined };
  /** the run's connected remote hosts, for kinds that resolve over SSH */
  fleet?: HostFleet | undefined;
}

/** What the runner hands a kind it starts before the drill. */
export interface TargetStartContext {
  baseDir: string;
  logger: Logger;
  signal: AbortSignal;
  seed: number;
  managed: ManagedTargets;
  proxies: ProxyTargets;
}

/** A kind's resolution: what it found now, and, for kinds that pick inside the blast radius themselves, what it picked. */
export interface KindResolution extends Resolution {
  /** set by kinds whose selection is their own (hosts first, then instances per host) */
  picked?: { selected: TargetInstance[]; description: string };
}

/** One kind of target: `process:`, `start:`, `container:`, `proxy:`, `hosts:`, ... */
export interface TargetResolver<Spec = unknown, In = unknown> {
  /** the key under `targets.<name>` */
  readonly kind: string;
  /** The kind's own fields: the same schema as its entry in target-kinds.ts (the drill schema composes those). */
  readonly schema: z.ZodType<Spec, In>;
  /** A small declaration of this kind as a drill writes it, for docs and for the registry test. */
  readonly example: In;
  /** How the journal records targets of this kind. */
  readonly recordKind: TargetRecord['kind'];
  /** What a declaration names, in words (the plan, the report). */
  describe(spec: Spec): string;
  /** For kinds the runner starts before the drill: lower `order` first (proxies before the clients that use them). */
  readonly start?: { order: number; run(name: string, spec: Spec, ctx: TargetStartContext): Promise<TargetInstance> };
  /** The instances the declaration names right now. Finding none is not an error here: the caller decides. */
  resolve(name: string, spec: Spec, ctx: TargetResolveContext): Promise<KindResolution>;
  /** Inject-time re-check: is `instance` still the very same one (it is among `now`, and its identity holds)? */
  stillSame(instance: TargetInstance, now: TargetRecord['instances'], ctx: TargetResolveContext): Promise<boolean>;
  /** An instance in a message: `pid 1234`, `container web-1`, `redis on web-2`. */
  label(instance: TargetInstance): string;
}
