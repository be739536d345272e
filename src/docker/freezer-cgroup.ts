/**
 * A container's freezer cgroup, reached without the engine. `docker pause` is the kernel's cgroup
 * freezer (runc writes FROZEN to the container's cgroup), so when the engine does not answer (a hung
 * or stopped dockerd) an undo can write THAWED itself and the container's processes run again.
 * Only for a container on this machine: the cgroup is found by the container's full id in the
 * places the engine's cgroup drivers put it (cgroupfs and systemd, v1 and v2), never by a prefix.
 *
 * The engine does not notice such a thaw: its record still says "paused", and its unpause is then
 * refused ("container not paused", runc reads the freezer). `reconcileWithEngine` brings the record
 * in line the only way the engine offers: freeze again and have the engine unpause at once.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

interface Freezer {
  dir: string;
  v2: boolean;
}

/** The freezer cgroup of the container with full id `id` on this machine, if there is one. */
function findFreezer(id: string, root: string): Freezer | undefined {
  if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
  const candidates: Freezer[] = [
    { dir: join(root, 'freezer', 'docker', id), v2: false },
    { dir: join(root, 'freezer', 'system.slice', `docker-${id}.scope`), v2: false },
    { dir: join(root, 'system.slice', `docker-${id}.scope`), v2: true },
    { dir: join(root, 'docker', id), v2: true },
  ];
  return candidates.find((c) => existsSync(join(c.dir, c.v2 ? 'cgroup.freeze' : 'freezer.state')));
}

/** FROZEN (or FREEZING), THAWED, or undefined when the container has no freezer cgroup here. */
export function freezerState(id: string, root = CGROUP_ROOT): 'FROZEN' | 'THAWED' | undefined {
  const f = findFreezer(id, root);
  if (!f) return undefined;
  try {
    if (f.v2) return /^frozen 1$/m.test(readFileSync(join(f.dir, 'cgroup.events'), 'utf8')) ? 'FROZEN' : 'THAWED';
    return readFileSync(join(f.dir, 'freezer.state'), 'utf8').trim() === 'THAWED' ? 'THAWED' : 'FROZEN';
  } catch {
    // the container went between finding its cgroup and reading it
    return undefined;
  }
}

export type FreezerThaw = { thawed: true; cgroup: string; wasFrozen: boolean } | { thawed: false; why: string };

/**
 * Thaws the freezer cgroup of the container with full id `id` and checks the kernel says so.
 * Never throws: a missing cgroup (another machine's container, or gone) is a reason.
 */
export function thawThroughFreezer(id: string, root = CGROUP_ROOT): FreezerThaw {
  const f = findFreezer(id, root);
  if (!f) return { thawed: false, why: `no freezer cgroup of container ${id.slice(0, 12)} under ${root} (not on this machine, or gone)` };
  try {
    const wasFrozen = freezerState(id, root) === 'FROZEN';
    if (f.v2) {
      writeFileSync(join(f.dir, 'cgroup.freeze'), '0');
    } else {
      // a child cgroup frozen on its own would keep the container's state at FREEZING: thaw those first
      for (const child of readdirSync(f.dir, { withFileTypes: true })) {
        const state = join(f.dir, child.name, 'freezer.state');
        if (child.isDirectory() && existsSync(state) && readFileSync(state, 'utf8').trim() !== 'THAWED') writeFileSync(state, 'THAWED');
      }
      writeFileSync(join(f.dir, 'freezer.state'), 'THAWED');
    }
    const now = freezerState(id, root);
    if (now !== 'THAWED') return { thawed: false, why: `${f.dir} still reports ${now ?? 'nothing'} after the thaw` };
    return { thawed: true, cgroup: f.dir, wasFrozen };
  } catch (e) {
    return { thawed: false, why: `cannot thaw ${f.dir}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Brings a stale engine record ("paused" while the kernel runs the container, after a thaw
 * through the freezer) in line: freezes the cgroup and has the engine unpause it at once. The
 * container is thawed again whatever the engine does, so the freeze lasts one engine request.
 */
export async function reconcileWithEngine(id: string, unpause: () => Promise<void>, root = CGROUP_ROOT): Promise<void> {
  const f = findFreezer(id, root);
  if (!f) throw new Error(`no freezer cgroup of container ${id.slice(0, 12)} under ${root}`);
  try {
    writeFileSync(join(f.dir, f.v2 ? 'cgroup.freeze' : 'freezer.state'), f.v2 ? '1' : 'FROZEN');
    // runc resumes only a cgroup the kernel reports frozen (v1 passes through FREEZING)
    for (let i = 0; i < 100 && freezerState(id, root) !== 'FROZEN'; i++) await new Promise((r) => setTimeout(r, 1));
    await unpause();
  } finally {
    thawThroughFreezer(id, root);
  }
}
