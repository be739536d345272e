import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DOOMED_SESSION_NICE, LOWEST_NICE, hastenDoomedSession } from './stress-priority.js';

const autogroupOf = (pid: number): string => readFileSync(`/proc/${pid}/autogroup`, 'latin1').trim();
// a negative autogroup nice needs CAP_SYS_NICE: root here and in CI
const privileged = process.getuid?.() === 0;
const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A `sleep` in a session of its own, as a stress worker runs. */
async function ownSession(): Promise<number> {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  await once(child, 'spawn');
  started.push(child.pid as number);
  child.unref();
  return child.pid as number;
}

describe.skipIf(!existsSync('/proc/self/autogroup'))('hastenDoomedSession', () => {
  it('gives the doomed session the highest autogroup share, and only that session', async () => {
    const pid = await ownSession();
    const ownBefore = autogroupOf(process.pid);
    expect(autogroupOf(pid)).toMatch(/ nice 0$/);
    expect(hastenDoomedSession(pid)).toBe(privileged);
    expect(autogroupOf(pid)).toMatch(privileged ? new RegExp(` nice ${DOOMED_SESSION_NICE}$`) : / nice 0$/);
    // a session of its own: the runner's autogroup is another one, and untouched
    expect(autogroupOf(pid).split(' ')[0]).not.toBe(ownBefore.split(' ')[0]);
    expect(autogroupOf(process.pid)).toBe(ownBefore);
  });

  it('takes the boost back (a worker that outlived its SIGKILL)', async () => {
    const pid = await ownSession();
    hastenDoomedSession(pid);
    expect(hastenDoomedSession(pid, LOWEST_NICE)).toBe(true);
    expect(autogroupOf(pid)).toMatch(new RegExp(` nice ${LOWEST_NICE}$`));
  });

  it('says false for a process that is gone', () => {
    expect(hastenDoomedSession(2 ** 22 + 1)).toBe(false);
  });
});
