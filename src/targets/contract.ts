/** Target resolvers turn a drill's target declaration into the processes it names right now. */

/**
 * The kinds of target a drill can declare (the key under `targets.<name>`): processes already
 * running, a process the runner starts, running containers, a fault proxy the runner starts.
 * Injectors name the kinds they act on (`Injector.targets`).
 */
export const TARGET_KINDS = ['process', 'start', 'container', 'proxy', 'hosts'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

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
