/**
 * A stress-ng worker runs as the first process of its own PID namespace (`unshare --pid --fork
 * --kill-child`), so stopping it needs no scan and no polling: SIGKILL to the namespace's first
 * process makes the kernel kill every process in the namespace and reap them all before that
 * process has exited, and only then does `unshare`, our own child, exit. Its exit event is the
 * proof that every stress process is gone. (In a plain process group, killed workers whose parent
 * died first wait as zombies for init, which reaps them when it gets to it: a second here.)
 *
 * Creating a PID namespace needs CAP_SYS_ADMIN (root outside a restricted container); where it is
 * refused, the worker runs as a plain process group and the stop confirms it through /proc.
 */
import { execFile } from 'node:child_process';
import { findCommand } from './find-command.js';

/** The arguments that put a command into a PID namespace of its own, in front of the command. */
export const PID_NAMESPACE_ARGS = ['--pid', '--fork', '--kill-child', '--'];

let usable: Promise<string | undefined> | undefined;

/** The unshare binary when this process may create a PID namespace with it (checked once). */
export function pidNamespaceTool(): Promise<string | undefined> {
  usable ??= (async () => {
    const unshare = await findCommand('unshare');
    if (!unshare) return undefined;
    return new Promise<string | undefined>((resolve) => {
      execFile(unshare, [...PID_NAMESPACE_ARGS, 'true'], { timeout: 5000 }, (error) => resolve(error ? undefined : unshare));
    });
  })();
  return usable;
}
