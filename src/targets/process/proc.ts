/** Reads process facts from /proc (Linux). Every reader returns undefined for a process that is gone. */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  comm: string;
  /** R running, S sleeping, D disk, T stopped, t traced, Z zombie, ... */
  state: string;
  ppid: number;
  pgrp: number;
  /** clock ticks since boot; with the pid it identifies one process over time */
  startTime: string;
}

/** Parses /proc/<pid>/stat; `comm` may contain spaces and parentheses, so split at the last `)`. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field 22 (starttime) is rest[19]
  const state = rest[0];
  const startTime = rest[19];
  if (!Number.isInteger(pid) || state === undefined || startTime === undefined) return undefined;
  return { pid, comm: text.slice(open + 1, close), state, ppid: Number(rest[1]), pgrp: Number(rest[2]), startTime };
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The same, read synchronously: procfs answers from memory, and on the revert path a trip
 * through the thread pool costs more than the read (two extra wake-ups on a loaded host).
 */
export function readProcStatNow(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readProcFileNow(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

/** One buffer for the small procfs reads: a stat line is a few hundred bytes. */
const procBuffer = Buffer.allocUnsafe(4096);

/**
 * A small procfs file read synchronously in one read(2) into a shared buffer: readFileSync adds an
 * fstat, a fresh buffer and a concat per file, which is most of the cost of a scan over /proc.
 * Throws like readFileSync when the file is gone.
 */
export function readProcFileNow(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, procBuffer, 0, procBuffer.length, 0);
    // a file larger than the buffer (not a stat line): read it whole
    return n < procBuffer.length ? procBuffer.toString('latin1', 0, n) : readFileSync(path, 'latin1');
  } finally {
    closeSync(fd);
  }
}

/** The full command line, arguments joined by spaces; empty for kernel threads. */
export async function readCmdline(pid: number): Promise<string | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

export async function listPids(): Promise<number[]> {
  const entries = await readdir('/proc');
  return entries.filter((e) => /^\d+$/.test(e)).map(Number);
}

/** True when `pid` still names the process that had `startTime`. */
export async function isSameProcess(pid: number, startTime: string): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== undefined && stat.startTime === startTime && stat.state !== 'Z';
}

/** Direct and indirect children of `pid`, found through ppid links (one /proc scan). */
export async function descendantsOf(pid: number): Promise<ProcStat[]> {
  const stats = (await Promise.all((await listPids()).map(readProcStat))).filter((s): s is ProcStat => s !== undefined);
  const byParent = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = byParent.get(s.ppid) ?? [];
    list.push(s);
    byParent.set(s.ppid, list);
  }
  const out: ProcStat[] = [];
  const queue = [pid];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    for (const child of byParent.get(p) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** This process and its ancestors up to pid 1: never a target. */
export async function selfAndAncestors(): Promise<Set<number>> {
  const out = new Set<number>([process.pid]);
  let pid = process.ppid;
  for (let i = 0; i < 64 && pid > 1; i++) {
    out.add(pid);
    const stat = await readProcStat(pid);
    if (!stat) break;
    pid = stat.ppid;
  }
  out.add(1);
  return out;
}
