/**
 * The executor seam: everything a fault does to a machine goes through one of these, so process,
 * resource, command and network faults act the same on this machine and on a remote host. An
 * executor runs a POSIX sh script, signals a process only while its pid still names the same
 * process (pid + start time), lists processes from /proc, and starts a detached helper that
 * outlives the runner. A Kubernetes pod executor (exec through the API server) is one more
 * implementation of this interface; see docs/architecture.md.
 */
import type { Engine } from '../docker/engine.js';
import type { ProcessInfo } from '../targets/process/candidates.js';

export interface ShResult {
  stdout: string;
  stderr: string;
  /** null when the command died of a signal or its channel went away */
  exitCode: number | null;
}

export interface ShOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  stdin?: string;
}

/** How a bounded command ended (the same fields locally and on a host). */
export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** the caller's signal fired before the command ended */
  aborted: boolean;
  /** the command could not be started at all (not found, not executable) */
  spawnError?: Error;
  stderrLastLine: string;
  /** standard output, when asked for (`stdoutLimitBytes`), as UTF-8 text cut at the limit */
  stdout?: string;
}

export interface RunOptions {
  /** variables on top of the executor's own environment; names must be shell names (A-Z, 0-9, _) */
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** keep at most this much of standard output (default: discard it) */
  stdoutLimitBytes?: number;
}

export interface ProcessRef {
  pid: number;
  /** field 22 of /proc/<pid>/stat when the process was selected */
  startTime: string;
}

export interface Executor {
  /** `local`, or the host's inventory name */
  readonly where: string;
  /** Runs a POSIX sh script here. */
  sh(script: string, options: ShOptions): Promise<ShResult>;
  /**
   * Sends `sig` if `ref` is still the same live process; false when it is gone, a zombie or
   * replaced. With `settle`, also waits (bounded) until the kernel shows it stopped / running.
   */
  signalIfSame(ref: ProcessRef, sig: NodeJS.Signals, options?: { settle?: 'stopped' | 'running'; cancel?: AbortSignal }): Promise<{ sent: boolean; settled: boolean }>;
  /** Every process here with its stat fields and command line, by pid. */
  listProcesses(signal?: AbortSignal): Promise<ProcessInfo[]>;
  /** Pids that must never be targets here: the executor's own session and its ancestors. */
  protectedPids(): Promise<Set<number>>;
  /**
   * The connection that carries this executor itself (a remote host's view of the runner's SSH
   * session): network faults exempt it so they never cut the runner off. Unset locally.
   */
  readonly carrier?: { clientAddress: string; clientPort: number; serverPort: number };
  /**
   * Runs a drill's command here: an argv list as it is (never through a shell), a string through
   * sh. Its own process group, ended (TERM, then KILL) at the timeout or when `signal` fires.
   * Variables travel as environment, never spliced into a script.
   */
  run(command: string | readonly string[], options: RunOptions): Promise<RunResult>;
  /** The Docker engine of this machine (locally: DOCKER_HOST); unset where there is none to reach. */
  dockerEngine?(): Promise<Engine>;
  /** Starts `script` detached (new session, no controlling terminal); it outlives the caller. Returns its pid. */
  spawnDetached(script: string, options: { timeoutMs: number }): Promise<number>;
}
