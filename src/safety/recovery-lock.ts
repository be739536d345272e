/**
 * One recoverer per run. The dead-man switch and `firedrill recover` (or two `recover`s) may both
 * find the same abandoned run; without this, both revert it, and the one that comes second reads a
 * run folder half removed by the first and calls it damaged. The lock is a file created exclusively
 * (safety/exclusive-file.ts) under `<stateDir>/recovering/`, outside the run folder so clearing the
 * run does not take it along; a lock whose holder is gone is taken over. Whoever gets the lock after waiting for another
 * holder looks again: a run folder that is gone was recovered by that holder.
 */
import { mkdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FiredrillError } from '../errors.js';
import { createExclusive, lockAgeMs, readLockText, removeIfUnchanged, stillHeld } from './exclusive-file.js';
import { isAlive, selfIdentity, type ProcessIdentity } from './process-identity.js';

export interface RecoveryHolder {
  runId: string;
  by: string;
  at: string;
  owner: ProcessIdentity;
  /** tells two holders in one process apart */
  nonce: string;
}

export interface RecoveryLock {
  /** the run was being recovered by another when this recoverer came */
  waited: boolean;
  /** that other recoverer, when its lock could be read */
  waitedFor?: RecoveryHolder;
  release(): void;
}

const POLL_MS = 25;
const UNREADABLE_STALE_MS = 5_000;

function recoveringDir(stateDir: string): string {
  return join(stateDir, 'recovering');
}

function lockFile(stateDir: string, runId: string): string {
  return join(recoveringDir(stateDir), `${runId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

function parseHolder(text: string | undefined): RecoveryHolder | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as RecoveryHolder);
  } catch {
    return undefined;
  }
}

/**
 * Waits (up to `waitMs`) until this process is the run's only recoverer. Throws FD_RECOVERY_BUSY
 * when another live recoverer holds the run longer than that.
 */
export async function lockRecovery(stateDir: string, runId: string, by: string, options: { waitMs: number; signal?: AbortSignal; onWait?: (holder: RecoveryHolder | undefined) => void }): Promise<RecoveryLock> {
  mkdirSync(recoveringDir(stateDir), { recursive: true, mode: 0o700 });
  const file = lockFile(stateDir, runId);
  const me: RecoveryHolder = { runId, by, at: new Date().toISOString(), owner: await selfIdentity(), nonce: Math.random().toString(36).slice(2) };
  const until = Date.now() + options.waitMs;
  let waitedFor: RecoveryHolder | undefined;
  let waited = false;
  const body = JSON.stringify(me);
  for (;;) {
    let created: boolean;
    try {
      created = createExclusive(file, body);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(recoveringDir(stateDir), { recursive: true, mode: 0o700 });
      continue;
    }
    if (created) {
      return {
        waited,
        ...(waitedFor ? { waitedFor } : {}),
        release: () => {
          if (stillHeld(file, body)) rmSync(file, { force: true });
          try {
            rmdirSync(recoveringDir(stateDir));
          } catch {
            // another run is being recovered
          }
        },
      };
    }
    const text = readLockText(file);
    const holder = parseHolder(text);
    // a lock that cannot be read was released meanwhile (try again) or is garbage (taken over)
    if (holder ? !(await isAlive(holder.owner)) : lockAgeMs(file) > UNREADABLE_STALE_MS) {
      removeIfUnchanged(file, text);
      continue;
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    if (holder) waitedFor = holder;
    if (Date.now() > until) {
      throw new FiredrillError('FD_RECOVERY_BUSY', `run ${runId} is being recovered by ${holder ? `${holder.by} (pid ${holder.owner.pid}) since ${holder.at}` : 'another recoverer'}; run recover again once it is done`, { runId });
    }
    options.signal?.throwIfAborted();
    await sleep(POLL_MS);
  }
}
