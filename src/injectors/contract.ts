/**
 * The injector contract. An injector does not act by itself: it describes actions, each with an
 * apply and a revert. The runner pushes every revert onto the rollback stack *before* it calls
 * apply, so no fault can exist without its undo (see runner/rollback-stack.ts).
 */
import type { FaultSpec } from '../drill/schema.js';
import type { TargetInstance } from '../targets/contract.js';
import type { Logger } from '../observability/logger.js';
import type { ManagedProxy } from '../targets/proxy/managed-proxy.js';

/** How to undo an action without this process: written to the fault ledger for recovery. */
export type UndoRecipe =
  | { kind: 'signal'; pid: number; startTime: string; signal: NodeJS.Signals; also?: { pid: number; startTime: string }[] }
  | { kind: 'kill-process'; pid: number; startTime: string }
  | { kind: 'command'; command: string | string[]; env: Record<string, string>; timeoutMs: number }
  /**
   * A container fault's undo through the Docker engine (see injectors/container/undo-recipe.ts):
   * unpause it / start it if not running / remove a helper container. `container` is an id or a
   * name; `dockerHost` is the engine's address at inject time (unset: the default socket).
   */
  | { kind: 'container'; action: 'unpause' | 'start' | 'remove'; container: string; name: string; dockerHost?: string }
  /**
   * A network fault's undo inside a network namespace (see injectors/network/undo-recipe.ts):
   * delete the nftables table, or the root qdisc with this handle, that the fault created. The
   * namespace is found by the target's pid + /proc start time, else by its inode; a namespace that
   * is gone took the rules with it.
   */
  | { kind: 'nft-table'; netns: { pid: number; startTime: string; inode: number }; family: 'inet'; table: string }
  | { kind: 'qdisc'; netns: { pid: number; startTime: string; inode: number }; device: string; handle: string; qdisc: 'tbf' | 'netem' }
  | { kind: 'none'; why: string };

export interface FaultAction {
  /** e.g. `SIGSTOP backend pid 1234` */
  label: string;
  instance?: TargetInstance;
  /** Makes the change. Called only after `revert` is on the rollback stack. */
  apply(signal: AbortSignal): Promise<void>;
  /** Undoes the change. Must be idempotent: it may run more than once, or after a failed apply. */
  revert(signal: AbortSignal): Promise<void>;
  /**
   * The same undo as data, for the fault ledger, the dead-man switch and `firedrill recover`.
   * Read again after `apply`: it may name what apply created (a worker pid, paused children).
   */
  readonly undoRecipe: UndoRecipe;
}

/** Restarts runner-managed targets (used by process-kill with `restart: true`). */
export interface ManagedTargets {
  isManaged(instance: TargetInstance): boolean;
  restart(instance: TargetInstance, signal: AbortSignal): Promise<TargetInstance>;
}

/** The runner's fault proxies by target name (proxy faults switch their toxics). */
export interface ProxyTargets {
  get(target: string): ManagedProxy | undefined;
}

export interface InjectorContext<F extends FaultSpec = FaultSpec> {
  fault: F;
  /** the selected instances of the fault's target (already inside the blast radius) */
  instances: TargetInstance[];
  managed: ManagedTargets;
  proxies?: ProxyTargets;
  logger: Logger;
  signal: AbortSignal;
  /** the run's id, so what a fault leaves on the system is named after its run (network faults) */
  runId?: string;
}

export interface Injector<F extends FaultSpec = FaultSpec> {
  readonly type: F['type'];
  /** Checks that the fault can be applied here (tools present, permissions); returns problems. */
  preflight?(ctx: InjectorContext<F>): Promise<string[]>;
  /** Describes the actions, one per instance usually. Must not change anything. */
  plan(ctx: InjectorContext<F>): FaultAction[] | Promise<FaultAction[]>;
}
