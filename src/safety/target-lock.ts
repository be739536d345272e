/**
 * Target locks: two drills never fault the same target instance at once. A lock is a file created
 * exclusively under `<stateDir>/locks/` (safety/exclusive-file.ts); a lock whose owner is no longer
 * alive is stale and is taken over (the caller warns: the dead run may have left faults behind).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FiredrillError } from '../errors.js';
import type { TargetInstance } from '../targets/contract.js';
import { createExclusive, readLockText, removeIfUnchanged, stillHeld } from './exclusive-file.js';
import { isAlive, type ProcessIdentity } from './process-identity.js';
import { readJson } from './read-json.js';

export interface LockOwner {
  runId: string;
  drill: string;
  owner: ProcessIdentity;
  target: string;
  /** what a person checks by hand if the run is lost, e.g. `pid 1234 (node server.js)` */
  label?: string;
}

export interface AcquiredLocks {
  keys: string[];
  /** locks taken over from runs that are no longer alive */
  stale: LockOwner[];
}

/** A stable, file-name-safe key for one target instance. */
export function lockKey(instance: TargetInstance): string {
  if (instance.container) return `container-${instance.container.id}`;
  // a remote host's pids are its own: the host's name is part of the key
  if (instance.host !== undefined) return `host-${instance.host.replace(/[^A-Za-z0-9_.-]/g, '_')}-${instance.pid}-${instance.startTime}`;
  return `process-${instance.pid}-${instance.startTime}`;
}

const MAX_ATTEMPTS = 5;

function parseOwner(text: string): LockOwner | undefined {
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return undefined; // garbage (never half written: locks are linked in whole)
  }
}

function handsChanged(instance: TargetInstance): FiredrillError {
  return new FiredrillError('FD_TARGET_LOCKED', `the lock of pid ${instance.pid} changed hands while this run was taking it: another drill is starting on the same target; try again once it is done`, { pid: instance.pid });
}

function lockFile(stateDir: string, key: string): string {
  return join(stateDir, 'locks', `${key}.json`);
}

/** How a person finds the target again: the container, or the pid with its command line. */
export function targetLabel(instance: TargetInstance): string {
  if (instance.container) return `container ${instance.container.name} (${instance.container.id.slice(0, 12)})`;
  return `pid ${instance.pid} (${instance.command.slice(0, 80)})`;
}

/**
 * Takes every lock or none; throws FD_TARGET_LOCKED naming the run that holds one. A lock whose
 * owner is gone is taken over, unless `refuseStale` says the dead run may have left a fault on that
 * target (then the error it returns is thrown instead).
 */
export async function acquireLocks(
  stateDir: string,
  instances: readonly TargetInstance[],
  me: Omit<LockOwner, 'target' | 'label'>,
  refuseStale?: (holder: LockOwner, instance: TargetInstance) => FiredrillError | undefined,
): Promise<AcquiredLocks> {
  mkdirSync(join(stateDir, 'locks'), { recursive: true, mode: 0o700 });
  const taken: string[] = [];
  const stale: LockOwner[] = [];
  const bodies: string[] = [];
  try {
    for (const instance of instances) {
      const key = lockKey(instance);
      const file = lockFile(stateDir, key);
      const body = JSON.stringify({ ...me, target: instance.id, label: targetLabel(instance) } satisfies LockOwner);
      bodies.push(body);
      for (let attempt = 0; ; attempt++) {
        if (createExclusive(file, body)) {
          taken.push(key);
          break;
        }
        if (attempt >= MAX_ATTEMPTS) throw handsChanged(instance);
        const text = readLockText(file);
        if (text === undefined) continue; // released meanwhile
        const holder = parseOwner(text);
        if (holder && (await isAlive(holder.owner)) && holder.runId !== me.runId) {
          throw new FiredrillError(
            'FD_TARGET_LOCKED',
            `pid ${instance.pid} is already under drill "${holder.drill}" (run ${holder.runId}, runner pid ${holder.owner.pid}); two drills never fault the same target at once`,
            { runId: holder.runId, pid: instance.pid },
          );
        }
        if (holder && holder.runId !== me.runId) {
          const refusal = refuseStale?.(holder, instance);
          if (refusal) throw refusal;
        }
        // another taker may have replaced the stale lock meanwhile: only the lock judged stale goes
        removeIfUnchanged(file, text);
        if (holder && !stale.some((s) => s.runId === holder.runId && s.target === holder.target)) stale.push(holder);
      }
    }
    // a third taker can slip in while a stale lock is swapped: each lock must still be ours
    for (const [i, key] of taken.entries()) {
      if (!stillHeld(lockFile(stateDir, key), bodies[i]!)) throw handsChanged(instances[i]!);
    }
  } catch (e) {
    releaseLocks(stateDir, taken);
    throw e;
  }
  return { keys: taken, stale };
}

/** Every lock file under the state dir with its owner (unreadable ones with none). */
export function listLocks(stateDir: string): { key: string; file: string; owner?: LockOwner }[] {
  let names: string[];
  try {
    names = readdirSync(join(stateDir, 'locks'));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => {
      const file = join(stateDir, 'locks', n);
      const owner = readJson<LockOwner>(file);
      return { key: n.slice(0, -'.json'.length), file, ...(owner ? { owner } : {}) };
    });
}


/** Removes the lock files (missing ones are fine). */
export function releaseLocks(stateDir: string, keys: readonly string[]): void {
  for (const key of keys) rmSync(lockFile(stateDir, key), { force: true });
}
