import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { missing } from '../../../test/support/components.js';
import { silentLogger } from '../../observability/logger.js';
import type { TargetInstance } from '../../targets/contract.js';
import { readProcStat } from '../../targets/process/proc.js';
import type { InjectorContext } from '../contract.js';
import { faultSchema, injectorFor, undoKindOf, type FaultSpec } from '../registry.js';
import { parseOpenFiles } from './limits.js';

const skip = missing({ commands: ['prlimit'] });
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A real process with a known open-files limit (soft 1000, hard 2000), as a target instance. */
async function target(): Promise<TargetInstance> {
  const child = spawn('prlimit', ['--nofile=1000:2000', 'sleep', '60'], { stdio: 'ignore' });
  children.push(child);
  const pid = child.pid as number;
  // prlimit execs sleep: wait until the pid runs sleep (bounded)
  for (let i = 0; i < 100; i++) {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const stat = await readProcStat(pid);
  if (!stat) throw new Error('the target did not start');
  return { id: `t/pid:${pid}`, pid, startTime: stat.startTime, command: 'sleep 60', managed: false };
}

const limitsOf = (pid: number) => parseOpenFiles(readFileSync(`/proc/${pid}/limits`, 'utf8'));

function context(openFiles: number, instances: TargetInstance[]): InjectorContext {
  const fault = faultSchema.parse({ type: 'process-limit', target: 't', duration: '10s', openFiles }) as FaultSpec;
  const noManaged = { isManaged: () => false, restart: () => Promise.reject(new Error('not managed')) };
  return { fault, instances, managed: noManaged, logger: silentLogger(), signal: AbortSignal.timeout(20_000) };
}

describe.skipIf(skip)('process-limit', () => {
  it('lowers the open-files soft limit of a real process and gives the old one back on revert', async () => {
    const instance = await target();
    const ctx = context(64, [instance]);
    const injector = injectorFor(ctx.fault);
    expect(await injector.preflight?.(ctx)).toEqual([]);
    const [action] = await injector.plan(ctx);
    if (!action) throw new Error('no action');
    expect(action.undoRecipe).toMatchObject({ kind: 'open-files-limit', pid: instance.pid, soft: 1000, hard: 2000 });
    await action.apply(AbortSignal.timeout(10_000));
    expect(limitsOf(instance.pid)).toEqual({ soft: 64, hard: 2000 });
    await action.revert(AbortSignal.timeout(10_000));
    expect(limitsOf(instance.pid)).toEqual({ soft: 1000, hard: 2000 });
    // idempotent: a second revert changes nothing
    await action.revert(AbortSignal.timeout(10_000));
    expect(limitsOf(instance.pid)).toEqual({ soft: 1000, hard: 2000 });
  });

  it('is undone from its ledger recipe alone, as recover and the dead-man switch do', async () => {
    const instance = await target();
    const ctx = context(32, [instance]);
    const [action] = await injectorFor(ctx.fault).plan(ctx);
    if (!action) throw new Error('no action');
    await action.apply(AbortSignal.timeout(10_000));
    const recipe = JSON.parse(JSON.stringify(action.undoRecipe)) as typeof action.undoRecipe;
    const kind = undoKindOf(recipe);
    expect(await kind?.execute(recipe, AbortSignal.timeout(10_000))).toMatch(/back to 1000/);
    expect(limitsOf(instance.pid)).toEqual({ soft: 1000, hard: 2000 });
  });

  it('refuses a limit that would change nothing, and a target that is gone', async () => {
    const instance = await target();
    expect((await injectorFor(context(4096, [instance]).fault).preflight?.(context(4096, [instance])))?.join()).toMatch(/would change nothing/);
    const gone = { ...instance, startTime: '1' };
    expect((await injectorFor(context(64, [gone]).fault).preflight?.(context(64, [gone])))?.join()).toMatch(/is gone/);
  });

  it('never touches a process that took over the pid: revert and the recipe leave it alone', async () => {
    const instance = await target();
    const ctx = context(64, [instance]);
    const [action] = await injectorFor(ctx.fault).plan(ctx);
    if (!action) throw new Error('no action');
    await action.apply(AbortSignal.timeout(10_000));
    // the same pid with another start time stands for a reused pid
    const impostor = { ...action.undoRecipe, startTime: '1' } as typeof action.undoRecipe;
    expect(await undoKindOf(impostor)?.execute(impostor, AbortSignal.timeout(10_000))).toMatch(/gone or was replaced/);
    expect(limitsOf(instance.pid)).toEqual({ soft: 64, hard: 2000 });
    await action.revert(AbortSignal.timeout(10_000));
    expect(limitsOf(instance.pid)).toEqual({ soft: 1000, hard: 2000 });
  });
});
