/**
 * The processes a resolver may return. The runner, its ancestors and helpers (ctx.protectedPids)
 * must never be touched, nor pid 1, kernel threads or zombies.
 */
import { listPids, readCmdline, readProcStat } from './proc.js';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  startTime: string;
  /** empty for kernel threads and zombies */
  cmdline: string;
}

/** Reads every process once (stat and command line); processes that vanish meanwhile are skipped. */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const pids = await listPids();
  const infos = await Promise.all(
    pids.map(async (pid): Promise<ProcessInfo | undefined> => {
      const [stat, cmdline] = await Promise.all([readProcStat(pid), readCmdline(pid)]);
      if (!stat || cmdline === undefined) return undefined;
      return { pid, ppid: stat.ppid, state: stat.state, startTime: stat.startTime, cmdline };
    }),
  );
  return infos.filter((p): p is ProcessInfo => p !== undefined).sort((a, b) => a.pid - b.pid);
}

/** The strict ancestors of `pid` according to `procs` (bounded: ppid links can change under us). */
export function ancestorsOf(pid: number, procs: readonly ProcessInfo[]): Set<number> {
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const out = new Set<number>();
  let p = parent.get(pid);
  for (let i = 0; i < 128 && p !== undefined && p > 0 && !out.has(p); i++) {
    out.add(p);
    p = parent.get(p);
  }
  return out;
}

/**
 * Pids that must not be returned: the protected ones, `self`, and the descendants of every protected
 * process that is not an ancestor of `self`. The runner's own children (helpers, stress workers) are
 * excluded with it; the children of its ancestors are not, because those are the user's other
 * processes (a shell that started both the service and the runner, and pid 1).
 */
export function excludedPids(procs: readonly ProcessInfo[], protectedPids: ReadonlySet<number>, self: number): Set<number> {
  const ancestors = ancestorsOf(self, procs);
  const excluded = new Set<number>([...protectedPids, self]);
  const roots = [...excluded].filter((pid) => !ancestors.has(pid) && pid !== 1);
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  // each pid is visited once, so the walk ends even if ppid links changed into a cycle mid-scan
  const visited = new Set<number>();
  const stack = [...roots];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    if (visited.has(pid)) continue;
    visited.add(pid);
    excluded.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return excluded;
}

/** Why `p` may not be a target, or undefined when it may. */
export function whyNotTargetable(p: ProcessInfo, excluded: ReadonlySet<number>): string | undefined {
  if (p.pid === 1) return 'pid 1 is never a target';
  if (p.state === 'Z' || p.state === 'X') return 'it is a zombie (already exited)';
  if (p.cmdline === '') return 'it is a kernel thread';
  if (excluded.has(p.pid)) return 'it is a firedrill process (a runner of this or another run, its dead-man switch, proxy host or stress worker), an ancestor of this runner, or a child of one of them';
  return undefined;
}
