/**
 * How a stress is run: stress-ng when installed, else the built-in node worker; pinned with
 * taskset to the target's CPUs when taskset is installed. Building the command is pure.
 */
import { findCommand } from './find-command.js';
import { PID_NAMESPACE_ARGS, pidNamespaceTool } from './pid-namespace.js';
import { idleSchedulerTool, lowestPriorityPrefix } from './stress-priority.js';
import { builtinWorkerArgs } from './stress-worker-source.js';
import { formatBytes } from './memory-size.js';

export type StressLoad =
  | { mode: 'cpu'; workers: number; /** 0..1 per worker */ load: number }
  | { mode: 'memory'; workers: number; /** total, split across workers */ bytes: number };

export interface StressTools {
  stressNg?: string;
  taskset?: string;
  /** unshare, when this process may run stress-ng in a PID namespace of its own (pid-namespace.ts) */
  unshare?: string;
  /** chrt, when it may start a worker as SCHED_IDLE here (stress-priority.ts) */
  chrt?: string;
  /** coreutils nice */
  nice?: string;
  /** the node binary for the built-in worker */
  node: string;
}

export interface StressCommand {
  file: string;
  args: string[];
  engine: 'stress-ng' | 'built-in';
  /** 'pid-namespace': `file` is unshare and its only child is the namespace's first process */
  isolation: 'pid-namespace' | 'process-group';
}

/**
 * Every worker also ends by itself this long after the fault's duration, so a runner that dies
 * leaves nothing running for long; the runner normally reverts well before.
 */
export const SELF_END_GRACE_MS = 5000;

/** Looks up stress-ng, taskset, chrt and nice on PATH, and whether stress-ng can get a PID namespace. */
export async function findStressTools(): Promise<StressTools> {
  const [stressNg, taskset, nice] = await Promise.all(['stress-ng', 'taskset', 'nice'].map((name) => findCommand(name)));
  const [unshare, chrt] = await Promise.all([stressNg ? pidNamespaceTool() : undefined, idleSchedulerTool()]);
  return { stressNg, taskset, ...(unshare ? { unshare } : {}), ...(chrt ? { chrt } : {}), ...(nice ? { nice } : {}), node: process.execPath };
}

/** stress-ng arguments for `load`, ending by itself after `lifetimeMs`. */
export function stressNgArgs(load: StressLoad, lifetimeMs: number): string[] {
  const timeout = ['--timeout', `${Math.ceil(lifetimeMs / 1000)}s`];
  if (load.mode === 'cpu') {
    return ['--cpu', String(load.workers), '--cpu-load', String(Math.round(load.load * 100)), ...timeout];
  }
  // --vm-bytes is per worker; --oomable: a worker the OOM killer ended is not started again
  const perWorker = Math.max(4096, Math.ceil(load.bytes / load.workers));
  return ['--vm', String(load.workers), '--vm-bytes', `${perWorker}b`, '--vm-keep', '--oomable', ...timeout];
}

export interface StressCommandOptions {
  tools: StressTools;
  /** taskset CPU list to pin to; ignored when taskset is missing */
  cpus?: string;
  durationMs: number;
  /** the process that owns the worker: the built-in worker exits when its parent is no longer this */
  parentPid: number;
}

/** The command that runs `load` for the fault's duration plus the grace. */
export function stressCommand(load: StressLoad, options: StressCommandOptions): StressCommand {
  const { tools } = options;
  const lifetimeMs = options.durationMs + SELF_END_GRACE_MS;
  const [file, args, engine]: [string, string[], StressCommand['engine']] = tools.stressNg
    ? [tools.stressNg, stressNgArgs(load, lifetimeMs), 'stress-ng']
    : [
        tools.node,
        builtinWorkerArgs({
          mode: load.mode,
          workers: load.workers,
          load: load.mode === 'cpu' ? load.load : 1,
          bytes: load.mode === 'memory' ? load.bytes : 0,
          lifetimeMs,
          parentPid: options.parentPid,
        }),
        'built-in',
      ];
  // a CPU worker runs below everything else, so the runner that must revert it is never starved
  // by it (stress-priority.ts); a memory worker keeps normal priority, as its memory must be taken
  // even on a busy host. chrt, nice and taskset each exec the next: same pid, group and parent
  const lowest = load.mode === 'cpu' ? lowestPriorityPrefix(tools) : [];
  const command = [...lowest, ...(tools.taskset && options.cpus ? [tools.taskset, '-c', options.cpus] : []), file, ...args];
  // the built-in worker watches its parent pid, which a PID namespace hides (it would end at once).
  // unshare itself stays at normal priority in the group: its exit is the revert's proof
  if (engine === 'stress-ng' && tools.unshare) return { file: tools.unshare, args: [...PID_NAMESPACE_ARGS, ...command], engine, isolation: 'pid-namespace' };
  return { file: command[0] as string, args: command.slice(1), engine, isolation: 'process-group' };
}

/** `2 CPU workers at 80% via stress-ng, pinned to CPUs 0-1`: the first part of a stress label. */
export function describeStress(load: StressLoad, tools: StressTools, cpus: string | undefined, cpusOf: string): string {
  const what =
    load.mode === 'cpu'
      ? `${load.workers} CPU worker${load.workers === 1 ? '' : 's'} at ${Math.round(load.load * 100)}%`
      : `hold ${formatBytes(load.bytes)}${tools.stressNg ? ` in ${load.workers} worker${load.workers === 1 ? '' : 's'}` : ''}`;
  const engine = tools.stressNg ? 'stress-ng' : 'the built-in node worker';
  const pinning = !tools.taskset
    ? 'not pinned (taskset not installed)'
    : cpus
      ? `pinned to CPUs ${cpus} of ${cpusOf}`
      : `not pinned (CPUs of ${cpusOf} unknown)`;
  if (load.mode !== 'cpu') return `${what} via ${engine}, ${pinning}`;
  // said in the label: the workers yield every wake-up to normal-priority work, the target's included
  const priority = tools.chrt ? `at the lowest priority (SCHED_IDLE${tools.nice ? ', nice 19' : ''})` : tools.nice ? 'at nice 19' : 'at normal priority (neither chrt nor nice installed)';
  return `${what} via ${engine}, ${pinning}, ${priority}`;
}
