/**
 * The runner and the dead-man switch run above the load they inject: a `cpu-stress` fault runs
 * its workers at normal priority (so it contends with the target as a real neighbour would), and
 * the process that must revert it raises itself to a negative nice value where it may (root or
 * CAP_SYS_NICE), so its timers and probes are not starved by it.
 *
 * Everything the raised process starts (targets of `start:`, command faults and probes, the stress
 * workers, the proxy host, the dead-man switch) must run at normal priority again, also what those
 * children fork before anyone could renice them. The kernel does that for us: with
 * SCHED_RESET_ON_FORK set (`chrt --reset-on-fork`), a child of a thread with a negative nice value
 * starts at nice 0. So the flag is set first, on every thread, and only then is the nice value
 * lowered; without chrt the priority is not raised at all.
 */
import { execFile } from 'node:child_process';
import { setPriority } from 'node:os';
import { readdirSync } from 'node:fs';

/** The nice value the runner and the dead-man switch ask for. */
export const RAISED_NICE = -10;

export type OwnPriority =
  | { raised: true; nice: number }
  | { raised: false; reason: string };

export interface RaiseOptions {
  nice?: number;
  /** the chrt binary (util-linux); a name is looked up on PATH */
  chrt?: string;
  pid?: number;
}

/** Sets SCHED_RESET_ON_FORK on every thread of `pid`, then lowers their nice value to `nice`. */
export async function raiseOwnPriority(options: RaiseOptions = {}): Promise<OwnPriority> {
  const nice = options.nice ?? RAISED_NICE;
  const pid = options.pid ?? process.pid;
  const chrt = options.chrt ?? 'chrt';
  const resetOnFork = await new Promise<string | undefined>((resolve) => {
    // SCHED_OTHER (priority 0) keeps the nice value; --all-tasks: every thread of the process
    execFile(chrt, ['--other', '--reset-on-fork', '--all-tasks', '--pid', '0', String(pid)], { timeout: 5000 }, (error, _out, stderr) => {
      if (!error) resolve(undefined);
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve('chrt (util-linux) is not installed, so children would inherit the raised priority');
      else resolve(`chrt --reset-on-fork failed: ${String(stderr).trim() || error.message}`);
    });
  });
  if (resetOnFork !== undefined) return { raised: false, reason: resetOnFork };
  const threads = threadsOf(pid);
  try {
    for (const tid of threads) setPriority(tid, nice);
  } catch (e) {
    // undo a partial raise: every thread the same, at normal priority
    for (const tid of threads) {
      try {
        setPriority(tid, 0);
      } catch {
        // cannot be lower than it was
      }
    }
    const code = (e as NodeJS.ErrnoException).code;
    return { raised: false, reason: code === 'EACCES' || code === 'EPERM' ? 'raising the priority needs root or CAP_SYS_NICE' : `setpriority failed: ${String(e)}` };
  }
  return { raised: true, nice };
}

function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter((t) => t > 0);
  } catch {
    return [pid];
  }
}

/** One line for the run's log. */
export function describeOwnPriority(p: OwnPriority, who: string): string {
  return p.raised ? `${who} runs at nice ${p.nice}, above the load it injects; what it starts runs at normal priority` : `${who} runs at normal priority: ${p.reason}`;
}
