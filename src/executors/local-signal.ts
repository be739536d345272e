/**
 * The one way injectors signal a process: only after checking that the pid still names the process
 * that was selected (pid + start time), because pids are reused and a stale pid may now be anyone.
 */
import { mark } from '../observability/revert-timeline.js';
import { readProcStatNow } from '../targets/process/proc.js';

export interface ProcessRef {
  pid: number;
  /** field 22 of /proc/<pid>/stat when the process was selected */
  startTime: string;
}

export interface SignalOptions {
  /** checked after the /proc lookup and right before the signal, so a late caller cannot slip through */
  cancel?: AbortSignal;
}

/**
 * Sends `sig` to `ref` if it is still the same live process; `false` when it is gone, a zombie,
 * replaced by another process, or `cancel` fired. Any other failure (EPERM) is thrown.
 */
export async function signalIfSame(ref: ProcessRef, sig: NodeJS.Signals, options: SignalOptions = {}): Promise<boolean> {
  const stat = readProcStatNow(ref.pid);
  if (stat === undefined || stat.startTime !== ref.startTime || stat.state === 'Z') return false;
  // no await between this check and the kill: a concurrent revert cannot interleave here
  if (options.cancel?.aborted) return false;
  try {
    process.kill(ref.pid, sig);
    mark(`${sig} sent to ${ref.pid}`);
    return true;
  } catch (e) {
    if (isErrno(e, 'ESRCH')) return false;
    throw e;
  }
}

/** True when `e` is a Node system error with this `code`. */
export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === code;
}

/**
 * Waits until the process is (or is no longer) stopped: `kill()` returns before the kernel has
 * stopped or resumed a process that is running on another CPU. Resolves false after `timeoutMs`;
 * a process that is gone or was replaced counts as settled.
 */
export async function waitUntilStopped(ref: ProcessRef, stopped: boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stat = readProcStatNow(ref.pid);
    if (!stat || stat.startTime !== ref.startTime || stat.state === 'Z') return true;
    if ((stat.state === 'T') === stopped) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
}
