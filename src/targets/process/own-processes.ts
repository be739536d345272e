/**
 * Firedrill's own processes, of any run on this machine: runners (process title `firedrill run …`
 * or this install's CLI entry), dead-man switches, proxy hosts and stress workers (started with
 * FIREDRILL_ROLE in their environment, which survives their runner's death), and everything they
 * started. A `match:` selector must never pick one of them, whichever run it belongs to.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ProcessInfo } from './candidates.js';

/** Set in the environment of every helper process firedrill starts (value: its role). */
export const OWN_ROLE_ENV = 'FIREDRILL_ROLE';

export type OwnRole = 'watchdog' | 'proxy-host' | 'stress-worker';

/** The environment for a helper process: the parent's plus the role marker. */
export function ownEnv(role: OwnRole, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, [OWN_ROLE_ENV]: role };
}

const CLI_ENTRY = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const TITLE = /^firedrill (run|recover|watchdog)\b/;

async function hasRoleMarker(pid: number): Promise<boolean> {
  try {
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1');
    return environ.split('\0').some((kv) => kv.startsWith(`${OWN_ROLE_ENV}=`));
  } catch {
    // unreadable (another user's process without privileges) or gone: the title check still applies
    return false;
  }
}

/** True when the command line alone says it is a firedrill runner. */
export function looksLikeRunner(cmdline: string): boolean {
  return TITLE.test(cmdline) || cmdline.split(' ').includes(CLI_ENTRY);
}

/** The pids of firedrill processes among `procs` (roots only; the caller excludes their descendants). */
export async function ownProcessRoots(procs: readonly ProcessInfo[]): Promise<Set<number>> {
  const marked = await Promise.all(procs.map(async (p) => (looksLikeRunner(p.cmdline) || (p.cmdline !== '' && (await hasRoleMarker(p.pid))) ? p.pid : undefined)));
  return new Set(marked.filter((pid): pid is number => pid !== undefined));
}
