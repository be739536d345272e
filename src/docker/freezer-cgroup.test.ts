import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freezerState, reconcileWithEngine, thawThroughFreezer } from './freezer-cgroup.js';

const ID = 'ab'.repeat(32);
let root: string;

function v1(state: string, child?: string): string {
  root = mkdtempSync(join(tmpdir(), 'fd-freezer-'));
  const dir = join(root, 'freezer', 'docker', ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'freezer.state'), state);
  if (child) {
    mkdirSync(join(dir, 'inner'));
    writeFileSync(join(dir, 'inner', 'freezer.state'), child);
  }
  return dir;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the container freezer cgroup without the engine', () => {
  it('thaws a frozen container and its frozen child cgroups', () => {
    const dir = v1('FROZEN\n', 'FROZEN\n');
    expect(thawThroughFreezer(ID, root)).toEqual({ thawed: true, cgroup: dir, wasFrozen: true });
    expect(readFileSync(join(dir, 'freezer.state'), 'utf8')).toBe('THAWED');
    expect(readFileSync(join(dir, 'inner', 'freezer.state'), 'utf8')).toBe('THAWED');
  });

  it('finds nothing for a short id or another machine\'s container, and touches nothing', () => {
    const dir = v1('FROZEN');
    expect(thawThroughFreezer(ID.slice(0, 12), root)).toMatchObject({ thawed: false });
    expect(thawThroughFreezer('cd'.repeat(32), root)).toMatchObject({ thawed: false, why: expect.stringMatching(/no freezer cgroup/) });
    expect(readFileSync(join(dir, 'freezer.state'), 'utf8')).toBe('FROZEN');
    expect(freezerState('cd'.repeat(32), root)).toBeUndefined();
  });

  it('reconciling thaws again even when the engine refuses the unpause', async () => {
    const dir = v1('THAWED');
    const seen: string[] = [];
    await expect(
      reconcileWithEngine(ID, async () => {
        seen.push(readFileSync(join(dir, 'freezer.state'), 'utf8'));
        throw new Error('engine refused');
      }, root),
    ).rejects.toThrow('engine refused');
    expect(seen).toEqual(['FROZEN']);
    expect(freezerState(ID, root)).toBe('THAWED');
  });
});
