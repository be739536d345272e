/** Stops a managed target's whole process group: resume, ask politely, then SIGKILL. */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDurationMs } from '../../values/duration.js';
import { FiredrillError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import { releaseGroup } from './exit-guard.js';
import { liveGroupMembers, signalGroup } from './process-group.js';
import type { GroupRun } from './spawn-in-group.js';

/** How long SIGKILL may take before we give up waiting (a process stuck in the kernel, state D). */
const KILL_GRACE_MS = 5000;
/** How long to wait after exit for the last output to drain from the pipes. */
const DRAIN_MS = 500;
const POLL_MS = 50;

export interface StopOptions {
  target: string;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  logger: Logger;
}

/**
 * Resolves once the leader has exited and no member of its group still runs. A paused group gets
 * SIGCONT first (a stopped process would hold the stop signal pending), then `stopSignal`, then
 * SIGKILL after `stopTimeoutMs`. Throws FD_REVERT_FAILED only if even SIGKILL does not end it.
 */
export async function stopGroup(run: GroupRun, o: StopOptions): Promise<void> {
  run.stopping = true;
  const members = await liveGroupMembers(run.pgid);
  if (!run.exit || members.length > 0) {
    if (members.some((m) => m.state === 'T' || m.state === 't')) signalGroup(run.pgid, 'SIGCONT');
    signalGroup(run.pgid, o.stopSignal);
    if (!(await waitGone(run, o.stopTimeoutMs))) {
      o.logger.warn({ pgid: run.pgid }, `still running ${formatDurationMs(o.stopTimeoutMs)} after ${o.stopSignal}; sending SIGKILL`);
      signalGroup(run.pgid, 'SIGKILL');
      if (!(await waitGone(run, KILL_GRACE_MS))) {
        throw new FiredrillError(
          'FD_REVERT_FAILED',
          `target "${o.target}" (process group ${run.pgid}) is still there ${formatDurationMs(KILL_GRACE_MS)} after SIGKILL; it may be stuck in the kernel, look at it with: ps -g ${run.pgid}`,
          { target: o.target, pgid: run.pgid },
        );
      }
    }
    o.logger.info({ pgid: run.pgid }, 'stopped target');
  }
  // let its last words arrive, for recentOutput() and start-failure messages
  await Promise.race([run.closed, sleep(DRAIN_MS)]);
  releaseGroup(run.pgid);
}

async function waitGone(run: GroupRun, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (run.exit && (await liveGroupMembers(run.pgid)).length === 0) return true;
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}
