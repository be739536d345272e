/** Which process of a started command is "the target": the one faults should pause or kill. */
import { descendantsOf } from '../process/proc.js';

/**
 * For a string command run as `/bin/sh -c "..."`: Debian's dash does not exec the last command, so
 * the spawned pid is a shell waiting on the real server. When the shell has exactly one live child,
 * that child is the target; otherwise (pipelines, several jobs) the shell stays the target.
 */
export async function mainPid(shellPid: number): Promise<number> {
  const children = (await descendantsOf(shellPid)).filter((s) => s.ppid === shellPid && s.state !== 'Z' && s.state !== 'X');
  return children.length === 1 && children[0] ? children[0].pid : shellPid;
}
