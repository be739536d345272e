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
 * A dying worker still has to run to exit, and SCHED_IDLE and nice 19 only order it within its own
 * session: beside other sessions it waits for its session's turn like any task, on a loaded host
 * for tens of ms (measured: kill -> unshare's exit 6-470 ms at load 5-8 on 2 cores). So a revert
 * also raises the doomed session's autogroup to the highest share where permitted
 * (hastenDoomedSession): a SIGKILLed process runs no more of its own code, only its exit. Whether
 * that shortens the stop beyond the host's noise is not shown yet (kill-switch-stress prints the
 * floor with and without it side by side).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

/** The autogroup nice a doomed stress session gets: the highest share the kernel gives. */
export const DOOMED_SESSION_NICE = -20;

/**
 * Gives the session of `leader` (a stress worker's session leader) the highest autogroup share, so
 * its SIGKILLed processes get a CPU to exit at once however loaded the host is: with autogroup
 * scheduling (the kernel default) a session competes with the other sessions as one, and inside it
 * SCHED_IDLE and nice change nothing. Only called once every member has been sent SIGKILL: a
 * boosted session runs nothing but exits, and unshare's wait and exit. Without CAP_SYS_NICE,
 * without autogroups, or inside a cpu cgroup it changes nothing. Returns whether the kernel took it.
 */
export function hastenDoomedSession(leader: number, nice = DOOMED_SESSION_NICE): boolean {
  try {
    writeFileSync(`/proc/${leader}/autogroup`, String(nice));
    return true;
  } catch {
    // EPERM (not privileged), ENOENT (no autogroup support, or the leader is gone), EAGAIN (rate limit)
    return false;
  }
}
