/**
 * Starting and stopping a stress worker. The worker runs detached in its own process group, so
 * one SIGKILL to the group ends stress-ng and every stressor it forked.
 */
import { mark } from '../../observability/revert-timeline.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { FiredrillError, errorMessage } from '../../errors.js';
import { listPids, parseProcStat, readProcFileNow, readProcStat, readProcStatNow, type ProcStat } from '../../targets/process/proc.js';
import { isErrno, signalIfSame, type ProcessRef } from '../signal-process.js';
import { OutputTail } from '../../text/output-tail.js';
import type { StressCommand } from './stress-command.js';
import { ownEnv } from '../../targets/process/own-processes.js';
import { hastenDoomed } from './stress-priority.js';

/** A worker that dies this soon after start failed to start (bad arguments, missing memory). */
const SETTLE_MS = 300;
/** Polls for the members' exit back off from 1 ms to this. */
const MAX_POLL_MS = 16;
/** Bounds the walk of a worker's process tree (stress-ng forks one process per stressor). */
const MAX_KNOWN_MEMBERS = 4096;

export interface StressWorker extends ProcessRef {
  engine: StressCommand['engine'];
  /** the leader is our child: its exit event, without polling */
  exited: LeaderExit;
  /** isolation 'pid-namespace': the namespace's first process (the leader, unshare, waits for it) */
  namespaceInit?: ProcessRef;
}

/** The exit of a child we spawned; `done` once Node has reaped it. */
export interface LeaderExit {
  readonly done: boolean;
  /** resolves true when the child has exited, false after `timeoutMs` */
  wait(timeoutMs: number): Promise<boolean>;
}

function leaderExit(child: ChildProcess, exited: Promise<unknown>): LeaderExit {
  let done = child.exitCode !== null || child.signalCode !== null;
  void exited.then(() => {
    done = true;
  });
  return {
    get done() {
      return done;
    },
    async wait(timeoutMs) {
      if (done) return true;
      const timer = new AbortController();
      const timedOut = delay(Math.max(0, timeoutMs), false, { signal: timer.signal }).catch(() => false);
      const result = await Promise.race([exited.then(() => true), timedOut]);
      timer.abort();
      return result;
    },
  };
}

/** Starts `command` detached; throws FD_INJECT_FAILED when it cannot start or dies at once. */
export async function startStress(command: StressCommand, signal: AbortSignal): Promise<StressWorker> {
  signal.throwIfAborted();
  const child = spawn(command.file, command.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: ownEnv('stress-worker') });
  const output = new OutputTail();
  child.stdout?.on('data', (d: Buffer) => output.push(d));
  child.stderr?.on('data', (d: Buffer) => output.push(d));
  // 'error' (spawn failure) rejects `once`; the spawn wait below reports that one
  const exited = once(child, 'exit').then(() => true, () => true);
  try {
    await once(child, 'spawn');
  } catch (e) {
    throw new FiredrillError('FD_INJECT_FAILED', `cannot start ${command.file}: ${errorMessage(e)}`, { file: command.file }, { cause: e });
  }
  const pid = child.pid as number;
  try {
    const stat = await readProcStat(pid);
    const early = stat === undefined || stat.state === 'Z' || (await Promise.race([exited, delay(SETTLE_MS, false, { signal })]));
    if (early || stat === undefined) {
      await exited;
      throw new FiredrillError('FD_INJECT_FAILED', `${command.engine} stress worker exited at once${exitText(child)}: ${output.lastLine() || 'no output'}`, {
        exitCode: child.exitCode,
        signal: child.signalCode,
        output: output.lastLine(),
      });
    }
    // the runner must not wait for the worker, and the worker must not depend on these pipes
    child.unref();
    for (const stream of [child.stdout, child.stderr]) if (stream && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
    const namespaceInit = command.isolation === 'pid-namespace' ? onlyChild(pid) : undefined;
    return { pid, startTime: stat.startTime, engine: command.engine, exited: leaderExit(child, exited), ...(namespaceInit ? { namespaceInit } : {}) };
  } catch (e) {
    // not reaped yet (no 'exit' seen), so the pid and its group are still ours to kill
    if (child.exitCode === null && child.signalCode === null) killGroupNow(pid);
    throw e;
  }
}

/**
 * SIGKILLs the worker and waits, at most `timeoutMs`, until every process of it is gone, so a
 * revert is never reported while a worker still runs. A worker in its own PID namespace (our
 * child unshare) is done when unshare's exit event comes: the kernel has reaped the whole
 * namespace by then. Another worker that is our child: the group is killed, the leader's exit event
 * says it is gone, the members it forked are checked one by one and the group is confirmed empty.
 * Not our child (recovery): through /proc until the group is empty.
 */
export async function stopStress(worker: ProcessRef | StressWorker, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  const leaderExit = 'exited' in worker ? worker.exited : undefined;
  const init = 'namespaceInit' in worker ? worker.namespaceInit : undefined;
  if (leaderExit && !leaderExit.done && init) {
    // SIGKILL to the namespace's first process: the kernel kills the rest of the namespace and reaps
    // it before that process has exited; unshare, waiting for it, exits only then (pid-namespace.ts).
    // The kill is the first thing done: no await before it (the trip's bookkeeping waits). Every
    // other member is killed with it, each directly: left to the first process, their kill would
    // wait until that process, at the lowest priority, gets a CPU to send it, and they would start
    // dying one scheduling round later. The members are read from /proc before any kill: /proc of a
    // dying process at the lowest priority can block the reader until that process gets a CPU
    // (hundreds of ms measured on a loaded host)
    const doomed = groupMembersNow([init.pid, ...descendantsNow(init.pid)], worker.pid);
    for (const pid of doomed) killNow(pid);
    mark(`stress: SIGKILL sent to ${doomed.length} processes`);
    hastenDoomed(doomed);
    const ok = await leaderExit.wait(deadline - performance.now());
    mark('stress: unshare exited (the namespace is empty)');
    if (!ok) {
      killGroupNow(worker.pid);
      throw stillRunning(worker, options.timeoutMs, [worker.pid, init.pid]);
    }
    // unshare reaped, the namespace emptied: nothing, not even a zombie, is left in the group
    if (groupIsEmpty(worker.pid)) return;
    // unshare ended some other way (killed by someone): the loop below confirms through /proc
  } else if (leaderExit && !leaderExit.done) {
    // an unreaped child: its pid and its group id cannot have been reused, so the group is ours
    const known = descendantsNow(worker.pid);
    killGroupNow(worker.pid);
    // a SIGKILLed process must still run to exit: at nice 19 that waits behind every other
    // runnable task; given the runner's nice back (where permitted) they are gone at once
    hastenDoomed([worker.pid, ...known]);
    if (!(await leaderExit.wait(deadline - performance.now()))) throw stillRunning(worker, options.timeoutMs, [worker.pid]);
    // SIGKILL reached every member at once (a fork racing with it is cancelled); wait for the known ones
    for (let wait = 1; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
      const alive = known.filter(isAliveNow);
      if (alive.length === 0) break;
      if (performance.now() >= deadline) throw stillRunning(worker, options.timeoutMs, alive);
      await delay(wait, undefined, { signal: options.signal });
    }
    if (groupIsEmpty(worker.pid)) return;
    // zombies waiting for init to reap them, or members that were not in the tree we read
    if (liveGroupNow(worker.pid, worker.startTime).length === 0) return;
  }
  // not our child (recovery), or members we did not see: confirm through /proc
  for (let wait = 1; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
    const group = await liveGroup(worker);
    if (group.members.length === 0) return;
    if (group.leaderIsOurs) killGroupNow(worker.pid);
    else for (const member of group.members) await signalIfSame(member, 'SIGKILL');
    if (performance.now() >= deadline) throw stillRunning(worker, options.timeoutMs, group.members.map((m) => m.pid));
    await delay(wait, undefined, { signal: options.signal });
  }
}

function stillRunning(worker: ProcessRef, timeoutMs: number, members: number[]): FiredrillError {
  return new FiredrillError('FD_REVERT_FAILED', `stress worker pid ${worker.pid} is still running ${timeoutMs} ms after SIGKILL; kill process group ${worker.pid} by hand`, {
    pid: worker.pid,
    members,
  });
}

/** The one child of `pid` (unshare forks exactly one), as a pid and start time; undefined when there is none yet. */
function onlyChild(pid: number): ProcessRef | undefined {
  const child = descendantsNow(pid)[0];
  const stat = child === undefined ? undefined : readProcStatNow(child);
  return stat && stat.ppid === pid ? { pid: stat.pid, startTime: stat.startTime } : undefined;
}

/** `pid` and its descendants now, through /proc/<pid>/task/<tid>/children (a few small reads). */
function descendantsNow(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  for (let p = queue.shift(); p !== undefined && out.length < MAX_KNOWN_MEMBERS; p = queue.shift()) {
    out.push(p);
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        for (const child of readProcFileNow(`/proc/${p}/task/${tid}/children`).split(' ')) if (child.trim()) queue.push(Number(child));
      } catch {
        // the thread or the process just ended
      }
    }
  }
  return out.slice(1);
}

/** True while `pid` exists and is not a zombie (a SIGKILLed process still on its way out counts). */
function isAliveNow(pid: number): boolean {
  let text: string;
  try {
    text = readProcFileNow(`/proc/${pid}/stat`);
  } catch {
    return false;
  }
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z';
}

/** kill(-pgid, 0): ESRCH means no process, not even a zombie, is left in the group. */
function groupIsEmpty(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (e) {
    return isErrno(e, 'ESRCH');
  }
}

/**
 * The live members of the worker's process group. While the leader (alive or a zombie) still has
 * our start time, the group id is certainly ours. When the leader is gone, a member must have
 * started after the worker; when the pid now names another process, the kernel has reused it,
 * which it only does once our group is empty.
 */
async function liveGroup(worker: ProcessRef): Promise<{ leaderIsOurs: boolean; members: ProcStat[] }> {
  const leader = await readProcStat(worker.pid);
  if (leader !== undefined && leader.startTime !== worker.startTime) return { leaderIsOurs: false, members: [] };
  const stats = await Promise.all((await listPids()).map(readProcStat));
  const members = stats.filter(
    (s): s is ProcStat => s !== undefined && s.pgrp === worker.pid && s.state !== 'Z' && BigInt(s.startTime) >= BigInt(worker.startTime),
  );
  return { leaderIsOurs: leader !== undefined, members };
}

/** The group's live (non-zombie) members that started with or after the worker: one synchronous /proc pass. */
function liveGroupNow(pgid: number, startTime: string): number[] {
  const since = BigInt(startTime);
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57 || entry.charCodeAt(0) < 48) continue;
    let text: string;
    try {
      text = readProcFileNow(`/proc/${entry}/stat`);
    } catch {
      continue;
    }
    const stat = parseProcStat(text);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && BigInt(stat.startTime) >= since) out.push(stat.pid);
  }
  return out;
}

/**
 * Those of `pids` that are live members of process group `pgid` now. Only for the group of our own
 * unreaped child: its group id cannot name anyone else's processes.
 */
function groupMembersNow(pids: readonly number[], pgid: number): number[] {
  return pids.filter((pid) => {
    const stat = readProcStatNow(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

function killNow(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone since it was read: the namespace's end took it
  }
}

function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (e) {
    if (!isErrno(e, 'ESRCH')) throw e;
  }
}

function exitText(child: ChildProcess): string {
  if (child.signalCode) return ` (killed by ${child.signalCode})`;
  return child.exitCode === null ? '' : ` with code ${child.exitCode}`;
}
