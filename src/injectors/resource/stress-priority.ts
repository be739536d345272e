/**
 * Stress workers run below everything else, so the runner and the dead-man switch that must revert
 * them are never starved by the load they injected, at whatever priority they were started with
 * (the runner never raises its own). Both layers are allowed without privileges:
 * - SCHED_IDLE (`chrt --idle 0`): a waking task of any other policy preempts a worker at once, so
 *   the runner's timers, probe results and signals are handled as if the cores were free;
 * - nice 19 (`nice -n 19`): what is left where chrt is missing or SCHED_IDLE is refused.
 * With autogroup scheduling (the usual kernel default) the worker's session (it runs detached, in a
 * session of its own) still gets a fair share of the CPU beside other sessions, the target's
 * included, so the fault still takes CPU time from the target; it just never delays a wake-up.
 * A dying worker still has to run to exit: a revert gives the doomed processes the runner's own
 * nice value where the kernel permits it, never more (hastenDoomed). Within its session only: with
 * autogroups a session competes with the others as one. Raising the doomed session's autogroup to
 * -20 right after the kill (/proc/<leader>/autogroup) was tried and not kept: side by side with a
 * bare SIGKILL it did not shorten the stop (p50 31.3 vs 26.2 ms over 29 runs at load 5-8, 8.3 vs
 * 7.0 ms over 8 at load 3).
 */
import { execFile } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { findCommand } from './find-command.js';

/** The nice value of a stress worker. */
export const LOWEST_NICE = 19;

let usableChrt: Promise<string | undefined> | undefined;

/** The chrt binary when it may put a process into SCHED_IDLE here (checked once: seccomp may refuse). */
export function idleSchedulerTool(): Promise<string | undefined> {
  usableChrt ??= (async () => {
    const chrt = await findCommand('chrt');
    if (!chrt) return undefined;
    return new Promise<string | undefined>((resolve) => {
      execFile(chrt, ['--idle', '0', 'true'], { timeout: 5000 }, (error) => resolve(error ? undefined : chrt));
    });
  })();
  return usableChrt;
}

/** The programs in front of a worker command that start it at the lowest priority (each execs the next). */
export function lowestPriorityPrefix(tools: { chrt?: string; nice?: string }): string[] {
  return [...(tools.chrt ? [tools.chrt, '--idle', '0'] : []), ...(tools.nice ? [tools.nice, '-n', String(LOWEST_NICE)] : [])];
}

/**
 * Gives SIGKILLed workers the runner's own nice value (never above it) so they get the CPU to exit;
 * without the privilege (root or RLIMIT_NICE) nothing changes. SCHED_IDLE stays (Node cannot change
 * a policy): in their own session group the doomed only compete with each other. Called right after
 * the kill, with pids of our own unreaped worker read around it.
 */
export function hastenDoomed(pids: readonly number[]): void {
  const nice = getPriority();
  for (const pid of pids) {
    try {
      setPriority(pid, nice);
    } catch {
      // not permitted (not root), or already gone
    }
  }
}
