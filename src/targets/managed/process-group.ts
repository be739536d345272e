/**
 * A managed target runs in its own process group (pgid = the spawned pid), so one signal reaches the
 * whole tree it started, and a Ctrl-C in the terminal reaches only the runner.
 */
import { listPids, readProcStat, type ProcStat } from '../process/proc.js';

/** Sends `signal` to every process in group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ESRCH') return false;
    throw e;
  }
}

/** Members of the group that still run; zombies do not count (they hold no resources and wait for a reaper). */
export async function liveGroupMembers(pgid: number): Promise<ProcStat[]> {
  // the cheap syscall answers the common "all gone" case without scanning /proc
  if (!signalGroup(pgid, 0)) return [];
  const stats = await Promise.all((await listPids()).map(readProcStat));
  return stats.filter((s): s is ProcStat => s !== undefined && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X');
}
