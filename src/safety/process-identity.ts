/** Who is this process, in a form that survives pid reuse: pid + /proc start time. */
import { isSameProcess, readProcStat } from '../targets/process/proc.js';

export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

export async function selfIdentity(): Promise<ProcessIdentity> {
  const stat = await readProcStat(process.pid);
  return { pid: process.pid, startTime: stat?.startTime ?? '0' };
}

export async function isAlive(who: ProcessIdentity | undefined): Promise<boolean> {
  return who !== undefined && (await isSameProcess(who.pid, who.startTime));
}
