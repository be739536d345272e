/**
 * A process's open-files limit: read from /proc/<pid>/limits, set with util-linux `prlimit`, each
 * only while the pid still names the selected process (pid + /proc start time).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { errorMessage, FiredrillError, type ErrorCode } from '../../errors.js';
import { readProcStat } from '../../targets/process/proc.js';
import type { ProcessRef } from '../signal-process.js';

const run = promisify(execFile);
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

/** The open-files limit of `ref`, or undefined when the process is gone or was replaced. */
export async function readOpenFiles(ref: ProcessRef): Promise<OpenFilesLimit | undefined> {
  if (!(await isStill(ref))) return undefined;
  let text: string;
  try {
    text = await readFile(`/proc/${ref.pid}/limits`, 'utf8');
  } catch {
    return undefined;
  }
  // read the identity again: the limits must belong to the process we checked
  return (await isStill(ref)) ? parseOpenFiles(text) : undefined;
}

/**
 * Sets the soft open-files limit of `ref` (the hard limit stays), then reads it back. `false` when
 * the process is gone or was replaced: nothing was changed. Throws `code` when prlimit refuses.
 */
export async function setOpenFilesSoft(ref: ProcessRef, soft: LimitValue, hard: LimitValue, code: ErrorCode, signal?: AbortSignal): Promise<boolean> {
  if (!(await isStill(ref))) return false;
  try {
    await run('prlimit', [`--pid=${ref.pid}`, `--nofile=${soft}:${hard}`], { timeout: PRLIMIT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  } catch (e) {
    if (!(await isStill(ref))) return false;
    throw new FiredrillError(code, `prlimit could not set the open-files limit of pid ${ref.pid}: ${errorMessage(e)}`, { pid: ref.pid }, { cause: e });
  }
  const now = await readOpenFiles(ref);
  if (now === undefined) return false;
  if (now.soft !== soft) throw new FiredrillError(code, `the open-files limit of pid ${ref.pid} is ${now.soft} after prlimit set it to ${soft}`, { pid: ref.pid });
  return true;
}

async function isStill(ref: ProcessRef): Promise<boolean> {
  const stat = await readProcStat(ref.pid);
  return stat !== undefined && stat.startTime === ref.startTime && stat.state !== 'Z';
}
