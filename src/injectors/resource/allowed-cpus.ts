import { readFile } from 'node:fs/promises';

/** The CPUs `pid` may run on (`Cpus_allowed_list` of /proc/<pid>/status, e.g. `0-3,6`); undefined when gone. */
export async function readAllowedCpus(pid: number): Promise<string | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const list = /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(status)?.[1];
    // taskset -c accepts exactly this syntax; refuse anything else rather than pass it on
    return list !== undefined && /^[\d,-]+$/.test(list) ? list : undefined;
  } catch {
    return undefined;
  }
}
