import { describe, expect, it } from 'vitest';
import { ancestorsOf, excludedPids, whyNotTargetable, type ProcessInfo } from './candidates.js';

function proc(pid: number, ppid: number, cmdline = `cmd${pid}`, state = 'S'): ProcessInfo {
  return { pid, ppid, state, startTime: String(1000 + pid), cmdline };
}

// 1 init ─┬─ 10 shell ─┬─ 20 firedrill (self) ─┬─ 30 stress-ng helper ── 31 stress-ng worker
//         │            │                        └─ 32 managed target
//         │            └─ 21 backend (started from the same shell)
//         ├─ 40 proxy helper (protected) ── 41 proxy child
//         └─ 2 kthreadd ── 3 kworker
const procs = [
  proc(1, 0, '/sbin/init'),
  proc(2, 0, ''),
  proc(3, 2, ''),
  proc(10, 1, 'bash'),
  proc(20, 10, 'node firedrill run drill.yaml'),
  proc(21, 10, 'node examples/shop/backend.js'),
  proc(30, 20, 'stress-ng --cpu 1'),
  proc(31, 30, 'stress-ng-cpu'),
  proc(32, 20, 'node server.js'),
  proc(40, 1, 'firedrill-proxy'),
  proc(41, 40, 'proxy-child'),
];
const protectedPids = new Set([20, 10, 1, 40]);

describe('ancestorsOf', () => {
  it('walks ppid links up to the root', () => {
    expect([...ancestorsOf(31, procs)].sort((a, b) => a - b)).toEqual([1, 10, 20, 30]);
  });

  it('stops on a ppid cycle', () => {
    expect([...ancestorsOf(5, [proc(5, 6), proc(6, 5)])].sort()).toEqual([5, 6]);
  });
});

describe('excludedPids', () => {
  const excluded = excludedPids(procs, protectedPids, 20);

  it('excludes every protected pid', () => {
    for (const pid of protectedPids) expect(excluded.has(pid)).toBe(true);
  });

  it("excludes the runner's own descendants and those of its helpers", () => {
    for (const pid of [30, 31, 32, 41]) expect(excluded.has(pid)).toBe(true);
  });

  it("keeps the user's processes that are children of the runner's ancestors", () => {
    expect(excluded.has(21)).toBe(false);
    expect(excluded.has(3)).toBe(false);
  });

  it('excludes the resolving process even when nobody protected it', () => {
    expect(excludedPids(procs, new Set(), 20).has(20)).toBe(true);
    expect(excludedPids(procs, new Set(), 20).has(30)).toBe(true);
  });
});

describe('whyNotTargetable', () => {
  const excluded = excludedPids(procs, protectedPids, 20);

  it('accepts an ordinary user process', () => {
    expect(whyNotTargetable(proc(21, 10, 'node backend.js'), excluded)).toBeUndefined();
  });

  it('refuses pid 1, kernel threads, zombies and protected processes, saying why', () => {
    expect(whyNotTargetable(proc(1, 0, '/sbin/init'), excluded)).toMatch(/pid 1/);
    expect(whyNotTargetable(proc(3, 2, ''), excluded)).toMatch(/kernel thread/);
    expect(whyNotTargetable(proc(77, 21, 'node', 'Z'), excluded)).toMatch(/zombie/);
    expect(whyNotTargetable(proc(30, 20, 'stress-ng'), excluded)).toMatch(/runner/);
  });
});
