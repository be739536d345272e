/**
 * What the `hosts:` kind needs from the run's connected fleet (fleet/fleet.ts implements it): a
 * bounded fan-out and, per host, a shell that lists processes and runs a POSIX sh script there.
 */
import type { Engine } from '../../docker/engine.js';
import type { ProcessInfo } from '../process/candidates.js';

export interface HostShell {
  listProcesses(signal?: AbortSignal): Promise<ProcessInfo[]>;
  /** pids on the host that must never be targets: our own SSH session and its ancestors */
  protectedPids(): Promise<Set<number>>;
  sh(script: string, options: { timeoutMs: number }): Promise<{ stdout: string; exitCode: number | null }>;
  /** the host's Docker engine, for `container:` on each host */
  dockerEngine?(): Promise<Engine>;
}

export interface HostFleet {
  /** hosts acted on at once */
  readonly parallel: number;
  /** The connected host's shell; throws for a host that is not connected. */
  executor(host: string): HostShell;
}
