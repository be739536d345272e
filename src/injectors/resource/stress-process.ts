/**
 * Starting and stopping a stress worker. The worker runs detached in its own process group, so
 * one SIGKILL to the group ends stress-ng and every stressor it forked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { FiredrillError, errorMessage } from '../../errors.js';
import { listPids, readProcStat, type ProcStat } from '../../targets/process/proc.js';
import { isErrno, signalIfSame, type ProcessRef } from '../signal-process.js';
import { OutputTail } from './output-tail.js';
import type { StressCommand } from './stress-command.js';

/** A worker that dies this soon after start failed to start (bad arguments, missing memory). */
const SETTLE_MS = 300;
const POLL_MS = 50;

export interface StressWorker extends ProcessRef {
  engine: StressCommand['engine'];
}

/** Starts `command` detached; throws FD_INJECT_FAILED when it cannot start or dies at once. */
export async function startStress(command: StressCommand, signal: AbortSignal): Promise<StressWorker> {
  signal.throwIfAborted();
  const child = spawn(command.file, command.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
    return { pid, startTime: stat.startTime, engine: command.engine };
  } catch (e) {
    // not reaped yet (no 'exit' seen), so the pid and its group are still ours to kill
    if (child.exitCode === null && child.signalCode === null) killGroupNow(pid);
    throw e;
  }
}

/** SIGKILLs the worker's process group and waits, at most `timeoutMs`, until every member is gone. */
export async function stopStress(worker: ProcessRef, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const group = await liveGroup(worker);
    if (group.members.length === 0) return;
    if (group.leaderIsOurs) killGroupNow(worker.pid);
    else for (const member of group.members) await signalIfSame(member, 'SIGKILL');
    if (performance.now() >= deadline) {
      throw new FiredrillError('FD_REVERT_FAILED', `stress worker pid ${worker.pid} is still running ${options.timeoutMs} ms after SIGKILL; kill process group ${worker.pid} by hand`, {
        pid: worker.pid,
        members: group.members.map((m) => m.pid),
      });
    }
    await delay(POLL_MS, undefined, { signal: options.signal });
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
