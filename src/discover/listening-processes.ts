/** Which processes on this host listen on which TCP ports: the `process:` targets `discover` offers. */
import { readdir, readlink } from 'node:fs/promises';
import { listPids, readCmdline, readProcStat, selfAndAncestors } from '../targets/process/proc.js';
import { listeningSockets, type ListeningSocket } from './listening-sockets.js';

export interface ListeningProcess {
  pid: number;
  /** the kernel's short name (`python3`, `node`) */
  comm: string;
  cmdline: string;
  /** sorted by port; one entry per address */
  listens: Array<{ address: string; port: number }>;
}

async function socketInodes(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.flatMap((l) => /^socket:\[(\d+)\]$/.exec(l)?.slice(1, 2) ?? []);
}

/** Listening processes, lowest port first. Processes whose fds cannot be read (another user's) are left out. */
export async function listeningProcesses(): Promise<ListeningProcess[]> {
  const byInode = new Map<string, ListeningSocket>();
  for (const s of await listeningSockets()) byInode.set(s.inode, s);
  const own = await selfAndAncestors();
  const found: ListeningProcess[] = [];
  for (const pid of await listPids()) {
    if (own.has(pid)) continue;
    const listens = (await socketInodes(pid)).flatMap((inode) => {
      const s = byInode.get(inode);
      return s ? [{ address: s.address, port: s.port }] : [];
    });
    if (listens.length === 0) continue;
    const [stat, cmdline] = await Promise.all([readProcStat(pid), readCmdline(pid)]);
    if (!stat || !cmdline) continue;
    listens.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
    found.push({ pid, comm: stat.comm, cmdline, listens });
  }
  // workers that share a parent's socket show the same ports: keep them, they are separate targets
  return found.sort((a, b) => (a.listens[0]?.port ?? 0) - (b.listens[0]?.port ?? 0) || a.pid - b.pid);
}

/** The distinct ports a process listens on. */
export function portsOf(p: ListeningProcess): number[] {
  return [...new Set(p.listens.map((l) => l.port))];
}

/** `/usr/bin/python3 -m http.server` → `python3 -m http.server`: the program's path is rarely what identifies it. */
export function commandText(cmdline: string): string {
  const [program = '', ...rest] = cmdline.split(' ');
  return [program.slice(program.lastIndexOf('/') + 1), ...rest].join(' ');
}
