import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetInstance } from '../targets/contract.js';
import { selfIdentity } from './process-identity.js';
import { acquireLocks, listLocks, lockKey, releaseLocks, type LockOwner } from './target-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'firedrill-locks-'));
  dirs.push(d);
  return d;
}

const instance: TargetInstance = { id: 'web/pid:4242', pid: 4242, startTime: '777', command: 'node server.js', managed: false };

/** A lock left by a runner that is gone (a pid that cannot exist). */
function leaveStaleLock(dir: string): void {
  mkdirSync(join(dir, 'locks'), { recursive: true });
  const dead: LockOwner = { runId: 'dead-run', drill: 'old', owner: { pid: 4_194_304 + 7, startTime: '1' }, target: instance.id };
  writeFileSync(join(dir, 'locks', `${lockKey(instance)}.json`), JSON.stringify(dead));
}

async function me(runId: string) {
  return { runId, drill: `drill-${runId}`, owner: await selfIdentity() };
}

describe('target locks', () => {
  it('a live lock refuses a second run, naming the run that holds it', async () => {
    const dir = stateDir();
    await acquireLocks(dir, [instance], await me('a'));
    await expect(acquireLocks(dir, [instance], await me('b'))).rejects.toMatchObject({ code: 'FD_TARGET_LOCKED', message: expect.stringContaining('run a') });
  });

  it('a stale lock is taken over and reported as stale', async () => {
    const dir = stateDir();
    leaveStaleLock(dir);
    const got = await acquireLocks(dir, [instance], await me('a'));
    expect(got.stale.map((s) => s.runId)).toEqual(['dead-run']);
    expect(listLocks(dir).map((l) => l.owner?.runId)).toEqual(['a']);
  });

  it('runs racing for the same stale lock: exactly one takes it, the others are refused', async () => {
    // each taker reads the stale lock, then waits on the liveness check; before the fix the
    // second one removed the first one's fresh lock and both went on to fault the target
    for (let round = 0; round < 5; round++) {
      const dir = stateDir();
      leaveStaleLock(dir);
      const takers = await Promise.all(['a', 'b', 'c', 'd'].map((id) => me(`${id}${round}`)));
      const results = await Promise.allSettled(takers.map((t) => acquireLocks(dir, [instance], t)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'FD_TARGET_LOCKED' });
      const holder = JSON.parse(readFileSync(join(dir, 'locks', `${lockKey(instance)}.json`), 'utf8')) as LockOwner;
      const winner = takers[results.findIndex((r) => r.status === 'fulfilled')]!;
      expect(holder.runId).toBe(winner.runId);
      // nothing is left aside in the locks folder but the one lock
      expect(readdirSync(join(dir, 'locks'))).toEqual([`${lockKey(instance)}.json`]);
    }
  });

  it('a release removes the lock and a new run can take it', async () => {
    const dir = stateDir();
    const got = await acquireLocks(dir, [instance], await me('a'));
    releaseLocks(dir, got.keys);
    await expect(acquireLocks(dir, [instance], await me('b'))).resolves.toMatchObject({ keys: got.keys });
  });
});
