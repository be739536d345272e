/** Which processes hold a socket that listens on a TCP port (this host's network namespace). */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { listeningInodes, parseProcNetTcp, type TcpSocketEntry } from './net-tcp.js';

async function readTable(path: string): Promise<TcpSocketEntry[]> {
  try {
    return parseProcNetTcp(await readFile(path, 'utf8'));
  } catch {
    // no IPv6 on this host, or no /proc/net at all
    return [];
  }
}

/** Inodes of the sockets listening on `port`, over IPv4 and IPv6. */
export async function inodesListeningOn(port: number): Promise<Set<string>> {
  const tables = await Promise.all([readTable('/proc/net/tcp'), readTable('/proc/net/tcp6')]);
  return listeningInodes(tables.flat(), port);
}

/** True when one of `pid`'s open files is one of the sockets. Unreadable fds (gone, other user) count as no. */
export async function holdsSocket(pid: number, inodes: ReadonlySet<string>): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let link: string;
    try {
      link = await readlink(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m && inodes.has(m[1] as string)) return true;
  }
  return false;
}

/** The subset of `pids` that hold a listening socket on `port` (several when workers share one socket). */
export async function pidsListeningOn(port: number, pids: readonly number[]): Promise<number[]> {
  const inodes = await inodesListeningOn(port);
  if (inodes.size === 0) return [];
  const holds = await Promise.all(pids.map((pid) => holdsSocket(pid, inodes)));
  return pids.filter((_, i) => holds[i]);
}
