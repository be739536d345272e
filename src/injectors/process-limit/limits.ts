/**
 * A process's open-files limit: read from /proc/<pid>/limits, set with util-linux `prlimit`, each
 * only while the pid still names the selected process (pid + /proc start time). Both go through
 * the executor of the machine the process lives on (executors/contract.ts), as one sh script:
 * the same code on this machine and on a remote host, one round trip there.
 */
import { FiredrillError, type ErrorCode } from '../../errors.js';
import type { Executor } from '../../executors/contract.js';
import type { ProcessRef } from '../signal-process.js';

/** prlimit answers at once unless the system is stuck. */
const PRLIMIT_TIMEOUT_MS = 5000;

/** `unlimited` is the kernel's RLIM_INFINITY. */
export type LimitValue = number | 'unlimited';

export interface OpenFilesLimit {
  soft: LimitValue;
  hard: LimitValue;
}

/** Parses the `Max open files` line of /proc/<pid>/limits. */
export function parseOpenFiles(limits: string): OpenFilesLimit | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)\s+files\s*$/m.exec(limits);
  if (!m) return undefined;
  const value = (text: string): LimitValue => (text === 'unlimited' ? 'unlimited' : Number(text));
  return { soft: value(m[1] as string), hard: value(m[2] as string) };
}

function checkedRef(ref: ProcessRef): ProcessRef {
  if (!Number.isInteger(ref.pid) || ref.pid < 2 || !/^\d+$/.test(ref.startTime)) throw new FiredrillError('FD_INTERNAL', `bad process ref ${ref.pid}/${ref.startTime}`);
  return ref;
}

function limitText(v: LimitValue): string {
  if (v !== 'unlimited' && !(Number.isInteger(v) && v >= 0)) throw new FiredrillError('FD_INTERNAL', `not a limit: ${String(v)}`);
  return String(v);
}

/**
 * The script: `gone` when the pid no longer names the process (before or after), else the limits
 * line read after `prlimit` (when `set` is given) ran. Exit 3 with prlimit's words when it refused.
 */
function limitScript(ref: ProcessRef, set?: OpenFilesLimit): string {
  const { pid, startTime } = checkedRef(ref);
  return [
    `P=${pid}; S=${startTime}`,
    'same() { read -r s </proc/$P/stat 2>/dev/null || return 1; s=${s##*) }; set -- $s; [ "$1" != Z ] && [ "${20}" = "$S" ]; }',
    'same || { echo gone; exit 0; }',
    ...(set ? [`e=$(prlimit --pid=$P --nofile=${limitText(set.soft)}:${limitText(set.hard)} 2>&1) || { same || { echo gone; exit 0; }; echo "$e" >&2; exit 3; }`] : []),
    // read the identity again: the limits must belong to the process we checked
    'l=$(grep "^Max open files" /proc/$P/limits 2>/dev/null)',
    'same || { echo gone; exit 0; }',
    'printf "%s\\n" "$l"',
  ].join('\n');
}

/** Whether `prlimit` is there (on the executor's machine). */
export async function hasPrlimit(executor: Executor): Promise<boolean> {
  const r = await executor.sh('command -v prlimit >/dev/null 2>&1', { timeoutMs: 10_000 });
  return r.exitCode === 0;
}

/** The open-files limit of `ref`, or undefined when the process is gone or was replaced. */
export async function readOpenFiles(executor: Executor, ref: ProcessRef, signal?: AbortSignal): Promise<OpenFilesLimit | undefined> {
  const r = await executor.sh(limitScript(ref), { timeoutMs: PRLIMIT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (r.exitCode !== 0) return undefined;
  return parseOpenFiles(r.stdout);
}

/**
 * Sets the soft open-files limit of `ref` (the hard limit stays), then reads it back. `false` when
 * the process is gone or was replaced: nothing was changed. Throws `code` when prlimit refuses.
 */
export async function setOpenFilesSoft(executor: Executor, ref: ProcessRef, soft: LimitValue, hard: LimitValue, code: ErrorCode, signal?: AbortSignal): Promise<boolean> {
  const where = executor.where === 'local' ? '' : ` on ${executor.where}`;
  const r = await executor.sh(limitScript(ref, { soft, hard }), { timeoutMs: PRLIMIT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (r.exitCode === 3) throw new FiredrillError(code, `prlimit could not set the open-files limit of pid ${ref.pid}${where}: ${r.stderr.trim() || 'refused'}`, { pid: ref.pid });
  if (r.exitCode !== 0) throw new FiredrillError(code, `could not set the open-files limit of pid ${ref.pid}${where}: ${r.stderr.trim() || `exit ${String(r.exitCode)}`}`, { pid: ref.pid });
  if (r.stdout.trim() === 'gone') return false;
  const now = parseOpenFiles(r.stdout);
  if (now === undefined) return false;
  if (now.soft !== soft) throw new FiredrillError(code, `the open-files limit of pid ${ref.pid}${where} is ${now.soft} after prlimit set it to ${soft}`, { pid: ref.pid });
  return true;
}
