/**
 * Network namespaces by identity. A fault names its namespace by the target's pid, that process's
 * /proc start time and the namespace's inode, so an undo from another process (the dead-man
 * switch, `firedrill recover`) finds the very namespace again, or learns that it is gone.
 */
import { readdir, readlink, stat } from 'node:fs/promises';
import { FiredrillError, type ErrorCode } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { listPids, readProcStat } from '../../targets/process/proc.js';

/** A network namespace by identity: the process that was in it (pid + start time), and its inode. */
export interface NetnsRef {
  pid: number;
  startTime: string;
  inode: number;
}

/** Where named namespaces are bind-mounted (`ip netns add`, the Docker engine). */
const NAMED_NETNS_DIRS = ['/run/netns', '/var/run/docker/netns'];

/** `/proc/<pid>/ns/net`: enters the namespace of that process. */
export function netnsPathOf(pid: number): string {
  return `/proc/${pid}/ns/net`;
}

/** The inode of the namespace file at `path`, or undefined when it cannot be read. */
export async function netnsInode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch {
    return undefined;
  }
}

/**
 * The inodes of the host's own network namespace: pid 1's (when this process may read it) and the
 * runner's own. A fault there would cut the runner, its probes and the operator's SSH.
 */
export async function hostNetnsInodes(): Promise<Set<number>> {
  const out = new Set<number>();
  for (const path of ['/proc/1/ns/net', '/proc/self/ns/net']) {
    const inode = await netnsInode(path);
    if (inode !== undefined) out.add(inode);
  }
  return out;
}

/**
 * The namespace `instance` lives in now. For a process target the pid must still name the
 * selected process; a container's pid is its main process (whose /proc start time is read here,
 * since the instance carries the engine's start time instead). Throws `code` when it is gone.
 */
export async function namespaceOf(instance: TargetInstance, code: ErrorCode): Promise<NetnsRef> {
  const stat = await readProcStat(instance.pid);
  const same = stat !== undefined && stat.state !== 'Z' && (instance.container !== undefined || stat.startTime === instance.startTime);
  if (!stat || !same) {
    throw new FiredrillError(code, `${instance.id} (pid ${instance.pid}) is gone or was replaced, so its network namespace cannot be found`, { pid: instance.pid });
  }
  const inode = await netnsInode(netnsPathOf(instance.pid));
  if (inode === undefined) {
    throw new FiredrillError(code, `cannot read ${netnsPathOf(instance.pid)}: network faults need root (CAP_SYS_ADMIN, CAP_SYS_PTRACE)`, { pid: instance.pid });
  }
  return { pid: instance.pid, startTime: stat.startTime, inode };
}

/**
 * A path that enters the namespace `ref` names right now: the recorded process's, else any other
 * process's or a bind mount's with the same inode. Undefined when the namespace no longer exists,
 * which means everything that was set up inside it is gone too.
 */
export async function locateNetns(ref: NetnsRef): Promise<string | undefined> {
  const own = await readProcStat(ref.pid);
  if (own && own.startTime === ref.startTime && (await netnsInode(netnsPathOf(ref.pid))) === ref.inode) return netnsPathOf(ref.pid);
  const wanted = `net:[${ref.inode}]`;
  for (const pid of await listPids()) {
    try {
      if ((await readlink(netnsPathOf(pid))) === wanted) return netnsPathOf(pid);
    } catch {
      // gone meanwhile, or not ours to read (pid 1 in some sandboxes)
    }
  }
  for (const dir of NAMED_NETNS_DIRS) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = `${dir}/${name}`;
      if ((await netnsInode(path)) === ref.inode) return path;
    }
  }
  return undefined;
}

/** `net:[4026532316]`: how the kernel names a namespace, for labels and messages. */
export function describeNetns(ref: Pick<NetnsRef, 'inode'>): string {
  return `net:[${ref.inode}]`;
}
