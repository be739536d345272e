/**
 * The injectors against real processes: `sleep` and `node -e` children this suite starts itself.
 * Every child runs in its own process group and is SIGKILLed (group-wide) after each test, so
 * nothing is left stopped or running, also when a test fails.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { faultSchema, type FaultSpec } from '../../src/drill/schema.js';
import { FiredrillError } from '../../src/errors.js';
import type { FaultAction, InjectorContext, ManagedTargets } from '../../src/injectors/contract.js';
import { injectorFor, injectors } from '../../src/injectors/registry.js';
import { readAllowedCpus } from '../../src/injectors/resource/allowed-cpus.js';
import { stressAction } from '../../src/injectors/resource/stress-action.js';
import { stressCommand, type StressLoad, type StressTools } from '../../src/injectors/resource/stress-command.js';
import { PID_NAMESPACE_ARGS, pidNamespaceTool } from '../../src/injectors/resource/pid-namespace.js';
import { builtinWorkerArgs, STRESS_WORKER_SOURCE } from '../../src/injectors/resource/stress-worker-source.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { TargetInstance } from '../../src/targets/contract.js';
import { descendantsOf, listPids, readProcStat, type ProcStat } from '../../src/targets/process/proc.js';
import { hasCommand, missing } from '../support/components.js';

// ---------------------------------------------------------------------------------------------
// processes the suite starts, and their cleanup

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers a group-wide SIGKILL for a process group, guarded by the leader's start time. */
function cleanupGroup(pid: number, startTime: string | undefined): void {
  cleanups.push(async () => {
    const stat = await readProcStat(pid);
    // our own unreaped child keeps its pid; a detached worker is checked by its start time
    if (startTime !== undefined && stat !== undefined && stat.startTime !== startTime) return;
    killQuietly(-pid, 'SIGKILL');
  });
}

function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Spawns a child in its own process group; its cleanup is registered in the same tick. */
async function start(file: string, args: string[], options: SpawnOptions = {}): Promise<{ child: ChildProcess; instance: TargetInstance }> {
  const child = spawn(file, args, { stdio: 'ignore', ...options, detached: true });
  cleanups.push(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killQuietly(-child.pid, 'SIGKILL');
  });
  await once(child, 'spawn');
  const pid = child.pid as number;
  const stat = await readProcStat(pid);
  if (!stat) throw new Error(`${file} exited at once`);
  return { child, instance: { id: `t/pid:${pid}`, pid, startTime: stat.startTime, command: [file, ...args].join(' '), managed: false } };
}

const startSleep = (): Promise<{ child: ChildProcess; instance: TargetInstance }> => start('sleep', ['30']);

/** A `sleep` allowed on CPU 0 only; waits until taskset has set the affinity and exec'd. */
async function startPinnedSleep(): Promise<TargetInstance> {
  const { instance } = await start('taskset', ['-c', '0', 'sleep', '30']);
  expect(await eventually(async () => (await readProcStat(instance.pid))?.comm === 'sleep')).toBe(true);
  return instance;
}

async function state(pid: number): Promise<string | undefined> {
  return (await readProcStat(pid))?.state;
}

/** Alive and not stopped (a fresh child may still be R rather than S). */
async function running(pid: number): Promise<boolean> {
  const s = await state(pid);
  return s !== undefined && s !== 'T' && s !== 'Z';
}

/** Polls `check` until it is true; false after `timeoutMs`. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await delay(25);
  }
}

/** Live processes of process group `pgid`. */
async function groupMembers(pgid: number): Promise<ProcStat[]> {
  const stats = await Promise.all((await listPids()).map(readProcStat));
  return stats.filter((s): s is ProcStat => s !== undefined && s.pgrp === pgid && s.state !== 'Z');
}

// ---------------------------------------------------------------------------------------------
// injector plumbing

const notManaged: ManagedTargets = {
  isManaged: () => false,
  restart: () => Promise.reject(new Error('not managed')),
};

function fault<T extends FaultSpec['type']>(input: { type: T } & Record<string, unknown>): Extract<FaultSpec, { type: T }> {
  return faultSchema.parse({ target: 't', duration: '10s', ...input }) as Extract<FaultSpec, { type: T }>;
}

function context<F extends FaultSpec>(f: F, instances: TargetInstance[], managed: ManagedTargets = notManaged): InjectorContext<F> {
  return { fault: f, instances, managed, logger: silentLogger(), signal: new AbortController().signal };
}

async function planOne<F extends FaultSpec>(f: F, instances: TargetInstance[], managed?: ManagedTargets): Promise<FaultAction> {
  const actions = await injectorFor(f).plan(context(f, instances, managed));
  expect(actions).toHaveLength(1);
  return actions[0] as FaultAction;
}

/** Registers the action's revert as cleanup before it is applied, exactly as the runner does. */
async function applyGuarded(action: FaultAction): Promise<void> {
  cleanups.push(() => action.revert(AbortSignal.timeout(10_000)).catch(() => undefined));
  await action.apply(new AbortController().signal);
}

const revert = (action: FaultAction): Promise<void> => action.revert(AbortSignal.timeout(10_000));

/** A target whose pid is real but whose start time is not: what a reused pid looks like. */
function reused(instance: TargetInstance): TargetInstance {
  return { ...instance, startTime: String(BigInt(instance.startTime) + 1n) };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<FiredrillError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FiredrillError);
  expect((error as FiredrillError).code).toBe(code);
  return error as FiredrillError;
}

// ---------------------------------------------------------------------------------------------

describe('registry', () => {
  it('maps every fault type to the injector of that type', () => {
    for (const [type, injector] of Object.entries(injectors)) expect(injector.type).toBe(type);
    expect(injectorFor(fault({ type: 'command', inject: 'true', revert: 'true' })).type).toBe('command');
  });
});

describe('process-pause', () => {
  it('stops the target on apply and resumes it on revert', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    expect(action.undoRecipe).toEqual({ kind: 'signal', pid: instance.pid, startTime: instance.startTime, signal: 'SIGCONT' });
    expect(await running(instance.pid)).toBe(true);

    await applyGuarded(action);
    expect(await eventually(async () => (await state(instance.pid)) === 'T')).toBe(true);

    await revert(action);
    expect(await eventually(() => running(instance.pid))).toBe(true);
  });

  it('reverts twice without harm', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    await applyGuarded(action);
    await revert(action);
    await revert(action);
    expect(await eventually(() => running(instance.pid))).toBe(true);
  });

  it('reverts quietly after the target died', async () => {
    const { child, instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    await applyGuarded(action);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await expect(revert(action)).resolves.toBeUndefined();
  });

  it('reverts quietly when apply never ran', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    await expect(revert(action)).resolves.toBeUndefined();
    expect(await running(instance.pid)).toBe(true);
  });

  it('never stops a process whose pid was reused', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [reused(instance)]);
    cleanups.push(() => revert(action).catch(() => undefined));
    await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    await revert(action);
    expect(await running(instance.pid)).toBe(true);
  });

  it('with tree: true stops every descendant too, and revert resumes them all', async () => {
    const { instance } = await start('sh', ['-c', 'sleep 30 & sleep 30 & wait']);
    expect(await eventually(async () => (await descendantsOf(instance.pid)).length === 2)).toBe(true);
    const tree = [instance.pid, ...(await descendantsOf(instance.pid)).map((d) => d.pid)];
    const action = await planOne(fault({ type: 'process-pause', tree: true }), [instance]);

    await applyGuarded(action);
    expect(await eventually(async () => (await Promise.all(tree.map(state))).every((s) => s === 'T'))).toBe(true);

    await revert(action);
    expect(await eventually(async () => (await Promise.all(tree.map(running))).every(Boolean))).toBe(true);
  });

  it('without tree leaves the children running', async () => {
    const { instance } = await start('sh', ['-c', 'sleep 30 & wait']);
    expect(await eventually(async () => (await descendantsOf(instance.pid)).length === 1)).toBe(true);
    const [kid] = await descendantsOf(instance.pid);
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    await applyGuarded(action);
    expect(await eventually(async () => (await state(instance.pid)) === 'T')).toBe(true);
    expect(await running(kid?.pid as number)).toBe(true);
    await revert(action);
  });

  it('does not stop the target when revert has already started', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-pause' }), [instance]);
    cleanups.push(() => revert(action).catch(() => undefined));
    await revert(action);
    await expect(action.apply(new AbortController().signal)).rejects.toThrow();
    expect(await running(instance.pid)).toBe(true);
  });
});

describe('process-kill', () => {
  /** A fake ManagedTargets that counts restarts; `failures` restarts fail first. */
  function managed(failures = 0): ManagedTargets & { restarts: number } {
    const m = {
      restarts: 0,
      isManaged: () => true,
      async restart(instance: TargetInstance): Promise<TargetInstance> {
        m.restarts++;
        await delay(20);
        if (m.restarts <= failures) throw new Error('could not start it');
        return { ...instance, pid: instance.pid + 1 };
      },
    };
    return m;
  }

  it('sends the signal to the target', async () => {
    const { child, instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-kill', signal: 'SIGTERM', allowIrreversible: true }), [instance]);
    expect(action.undoRecipe.kind).toBe('none');
    const exit = once(child, 'exit');
    await applyGuarded(action);
    expect(await exit).toEqual([null, 'SIGTERM']);
    await expect(revert(action)).resolves.toBeUndefined();
  });

  it('refuses to kill a process the runner did not start unless allowIrreversible is set', async () => {
    const { instance } = await startSleep();
    const f = fault({ type: 'process-kill' });
    const problems = await injectorFor(f).preflight?.(context(f, [instance]));
    expect(problems?.join()).toMatch(/allowIrreversible/);
    const action = await planOne(f, [instance]);
    await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(await running(instance.pid)).toBe(true);
  });

  it('restarts a managed target once, even when revert runs twice or concurrently', async () => {
    const { instance } = await startSleep();
    const targets = managed();
    const action = await planOne(fault({ type: 'process-kill' }), [instance], targets);
    await applyGuarded(action);
    await Promise.all([revert(action), revert(action)]);
    await revert(action);
    expect(targets.restarts).toBe(1);
  });

  it('retries a failed restart on the next revert', async () => {
    const { instance } = await startSleep();
    const targets = managed(1);
    const action = await planOne(fault({ type: 'process-kill' }), [instance], targets);
    await applyGuarded(action);
    await expectCode(revert(action), 'FD_REVERT_FAILED');
    await revert(action);
    await revert(action);
    expect(targets.restarts).toBe(2);
  });

  it('does not restart anything when apply never ran', async () => {
    const { instance } = await startSleep();
    const targets = managed();
    const action = await planOne(fault({ type: 'process-kill' }), [instance], targets);
    await revert(action);
    expect(targets.restarts).toBe(0);
  });

  it('never kills a process whose pid was reused', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-kill', allowIrreversible: true }), [reused(instance)]);
    await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(await running(instance.pid)).toBe(true);
  });
});

describe('process-signal', () => {
  // prints one line per signal it receives, so the test can count them
  const LISTENER = `
    for (const s of ['SIGUSR1', 'SIGUSR2']) process.on(s, () => process.stdout.write(s + '\\n'));
    process.stdout.write('ready\\n');
    setTimeout(() => {}, 30000);
  `;

  async function startListener(): Promise<{ instance: TargetInstance; lines: () => string[] }> {
    const { child, instance } = await start(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const lines = (): string[] => out.split('\n').filter((l) => l !== '');
    expect(await eventually(() => lines().includes('ready'))).toBe(true);
    return { instance, lines };
  }

  it('sends the signal on apply and the revert signal exactly once', async () => {
    const { instance, lines } = await startListener();
    const action = await planOne(fault({ type: 'process-signal', signal: 'SIGUSR1', revertSignal: 'SIGUSR2' }), [instance]);
    expect(action.undoRecipe).toEqual({ kind: 'signal', pid: instance.pid, startTime: instance.startTime, signal: 'SIGUSR2' });
    await applyGuarded(action);
    expect(await eventually(() => lines().includes('SIGUSR1'))).toBe(true);
    await revert(action);
    await revert(action);
    expect(await eventually(() => lines().includes('SIGUSR2'))).toBe(true);
    await delay(200);
    expect(lines()).toEqual(['ready', 'SIGUSR1', 'SIGUSR2']);
  });

  it('resumes a SIGSTOP on revert even without a revertSignal', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'process-signal', signal: 'SIGSTOP' }), [instance]);
    await applyGuarded(action);
    expect(await eventually(async () => (await state(instance.pid)) === 'T')).toBe(true);
    await revert(action);
    expect(await eventually(() => running(instance.pid))).toBe(true);
  });

  it('never signals a process whose pid was reused', async () => {
    const { instance, lines } = await startListener();
    const action = await planOne(fault({ type: 'process-signal', signal: 'SIGUSR1', revertSignal: 'SIGUSR2' }), [reused(instance)]);
    cleanups.push(() => revert(action).catch(() => undefined));
    await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    await revert(action);
    await delay(200);
    expect(lines()).toEqual(['ready']);
  });
});

// ---------------------------------------------------------------------------------------------
// resource stress

/** Registers cleanup for the worker an action started (from its undo recipe). */
function cleanupWorker(action: FaultAction): { pid: number; startTime: string } {
  const recipe = action.undoRecipe;
  if (recipe.kind !== 'kill-process') throw new Error(`expected a kill-process recipe, got ${recipe.kind}`);
  cleanupGroup(recipe.pid, recipe.startTime);
  return recipe;
}

async function applyStress(action: FaultAction): Promise<{ pid: number; startTime: string }> {
  expect(action.undoRecipe.kind).toBe('none');
  try {
    await applyGuarded(action);
  } finally {
    if (action.undoRecipe.kind === 'kill-process') cleanupWorker(action);
  }
  return cleanupWorker(action);
}

async function vmRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
}

describe('built-in stress worker', () => {
  // stress-ng left out on purpose: these exercise the node worker whether or not stress-ng exists
  const tools: StressTools = { node: process.execPath, ...(hasCommand('taskset') ? { taskset: '/usr/bin/taskset' } : {}) };

  function builtinAction(load: StressLoad, cpus?: string): FaultAction {
    return stressAction({
      label: 'test stress',
      command: stressCommand(load, { tools, cpus, durationMs: 10_000, parentPid: process.pid }),
    });
  }

  it('runs a CPU worker after apply, pinned to the given CPUs, and none after revert', async () => {
    const action = builtinAction({ mode: 'cpu', workers: 2, load: 0.3 }, tools.taskset ? '0' : undefined);
    const worker = await applyStress(action);
    // the worker names itself once node has loaded its script: on a busy machine that comes a moment after apply
    let comm: string | undefined;
    for (let i = 0; i < 100; i++) {
      comm = (await readProcStat(worker.pid))?.comm;
      if (comm?.startsWith('firedrill-stres')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(comm).toMatch(/^firedrill-stres/);
    if (tools.taskset) expect(await readAllowedCpus(worker.pid)).toBe('0');

    await revert(action);
    expect(await groupMembers(worker.pid)).toEqual([]);
    await revert(action);
  });

  it('holds the memory it was asked for until revert', async () => {
    const bytes = 64 * 1024 ** 2;
    const action = builtinAction({ mode: 'memory', workers: 1, bytes });
    const worker = await applyStress(action);
    expect(await eventually(async () => (await vmRssBytes(worker.pid)) >= bytes)).toBe(true);
    await revert(action);
    expect(await groupMembers(worker.pid)).toEqual([]);
  });

  it('starts nothing when revert came first', async () => {
    const action = builtinAction({ mode: 'cpu', workers: 1, load: 0.1 });
    await revert(action);
    await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(action.undoRecipe.kind).toBe('none');
  });

  it('exits by itself when its lifetime is over', async () => {
    const config = { mode: 'cpu' as const, workers: 1, load: 0.1, bytes: 0, lifetimeMs: 500, parentPid: process.pid };
    const { child } = await start(process.execPath, builtinWorkerArgs(config));
    const [code] = (await Promise.race([once(child, 'exit'), delay(5000, ['still running'])])) as unknown[];
    expect(code).toBe(0);
  });

  it('exits by itself when the process that started it dies', async () => {
    // the parent starts the worker exactly as the runner would (detached), prints its pid and waits
    const PARENT = `
      const { spawn } = require('node:child_process');
      const [source, config] = process.argv.slice(1);
      const args = ['-e', source, JSON.stringify({ ...JSON.parse(config), parentPid: process.pid })];
      const worker = spawn(process.execPath, args, { detached: true, stdio: 'ignore' });
      worker.unref();
      process.stdout.write(worker.pid + '\\n');
      setTimeout(() => {}, 30000);
    `;
    const config = { mode: 'cpu', workers: 1, load: 0.1, bytes: 0, lifetimeMs: 30_000 };
    const { child: parent } = await start(process.execPath, ['-e', PARENT, STRESS_WORKER_SOURCE, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [line] = (await once(parent.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const workerPid = Number(line.toString().trim());
    const worker = await readProcStat(workerPid);
    expect(worker?.ppid).toBe(parent.pid);
    cleanupGroup(workerPid, worker?.startTime);

    parent.kill('SIGKILL');
    expect(await eventually(async () => (await readProcStat(workerPid))?.startTime !== worker?.startTime, 5000)).toBe(true);
  });
});

describe('cpu-stress and memory-pressure injectors', () => {
  it('plan one CPU action per instance and one memory action per fault', async () => {
    const [a, b] = await Promise.all([startSleep(), startSleep()]);
    const instances = [a.instance, b.instance];
    const cpu = await injectorFor(fault({ type: 'cpu-stress' })).plan(context(fault({ type: 'cpu-stress' }), instances));
    expect(cpu.map((x) => x.instance?.pid)).toEqual(instances.map((i) => i.pid));
    const mem = fault({ type: 'memory-pressure', size: '16MiB' });
    expect(await injectorFor(mem).plan(context(mem, instances))).toHaveLength(1);
  });

  it('say in the label where the stress is pinned', async () => {
    const instance = await startPinnedSleep();
    const [action] = await injectorFor(fault({ type: 'cpu-stress' })).plan(context(fault({ type: 'cpu-stress' }), [instance]));
    expect(action?.label).toMatch(hasCommand('taskset') ? /pinned to CPUs 0 of t\/pid:\d+/ : /not pinned/);
  });

  it('memory-pressure preflight refuses more than 80% of the available memory and a target that is gone', async () => {
    const { child, instance } = await startSleep();
    const tooBig = fault({ type: 'memory-pressure', size: '90%' });
    expect((await injectorFor(tooBig).preflight?.(context(tooBig, [instance])))?.join()).toMatch(/more than 80%/);
    const fine = fault({ type: 'memory-pressure', size: '16MiB' });
    expect(await injectorFor(fine).preflight?.(context(fine, [instance]))).toEqual([]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect((await injectorFor(fine).preflight?.(context(fine, [instance])))?.join()).toMatch(/is gone/);
  });
});

describe.skipIf(missing({ commands: ['stress-ng', 'taskset'] }))('stress-ng', () => {
  it('runs cpu-stress as a stress-ng group pinned to the target CPUs, and kills the whole group on revert', async () => {
    const instance = await startPinnedSleep();
    const f = fault({ type: 'cpu-stress', workers: 2, load: '30%' });
    const action = await planOne(f, [instance]);
    expect(action.label).toMatch(/via stress-ng, pinned to CPUs 0 .*, at (the lowest priority|nice 19)/);
    const given = getPriority();
    const worker = await applyStress(action);
    // the stress-ng parent and its two stressors (and unshare, when they have a PID namespace) share the worker's process group
    expect(await eventually(async () => (await groupMembers(worker.pid)).filter((m) => m.comm.startsWith('stress-ng')).length >= 3)).toBe(true);
    for (const member of (await groupMembers(worker.pid)).filter((m) => m.comm.startsWith('stress-ng'))) expect(await readAllowedCpus(member.pid)).toBe('0');

    // below everything else: every stress-ng process runs SCHED_IDLE (policy 5) at nice 19;
    // unshare, whose exit proves the stop, stays at normal priority
    for (const member of await groupMembers(worker.pid)) {
      const fields = (await readFile(`/proc/${member.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
      const lowest = member.comm.startsWith('stress-ng');
      expect({ comm: member.comm, nice: fields[16], policy: fields[38] }).toEqual({
        comm: member.comm,
        nice: lowest ? '19' : '0',
        policy: lowest && hasCommand('chrt') ? '5' : '0',
      });
    }
    // the runner (here: the test process) keeps the priority it was given
    expect(getPriority()).toBe(given);

    await revert(action);
    expect(await groupMembers(worker.pid)).toEqual([]);
  });

  it('reports the stress reverted only once every process of the group has exited, also with many stressors', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'cpu-stress', workers: 6, load: '20%' }), [instance]);
    const worker = await applyStress(action);
    expect(await eventually(async () => (await groupMembers(worker.pid)).filter((m) => m.comm.startsWith('stress-ng')).length >= 7)).toBe(true);
    const members = (await groupMembers(worker.pid)).map((m) => m.pid);
    await revert(action);
    // checked right after revert resolved, without waiting: none may still run (zombies are not running)
    for (const pid of members) expect(['Z', undefined]).toContain((await readProcStat(pid))?.state);
  });

  it('stops a worker in its own PID namespace completely, also what left its process group, with no zombie left in the group', async () => {
    const unshare = await pidNamespaceTool();
    if (!unshare) {
      // CI runs as root, where unshare works: there this path must be tested
      expect(process.env.CI, 'unshare --pid is refused here, so the PID-namespace stop is not tested').not.toBe('true');
      return;
    }
    const command = { file: unshare, args: [...PID_NAMESPACE_ARGS, 'sh', '-c', 'setsid sleep 300 & sleep 300'], engine: 'stress-ng' as const, isolation: 'pid-namespace' as const };
    const action = stressAction({ label: 'escaping stress', command });
    const worker = await applyStress(action);
    let escaped: ProcStat | undefined;
    expect(
      await eventually(async () => {
        // the setsid'd sleep leads a group of its own, outside the worker's
        escaped = (await descendantsOf(worker.pid)).find((s) => s.comm === 'sleep' && s.pgrp === s.pid);
        return escaped !== undefined;
      }),
    ).toBe(true);
    await revert(action);
    // unshare's exit came after the kernel reaped the namespace: the sleep that left the group is gone too
    expect(await readProcStat((escaped as ProcStat).pid).then((s) => s?.startTime === escaped?.startTime && s?.state !== 'Z')).toBe(false);
    expect(() => process.kill(-worker.pid, 0)).toThrow(/ESRCH/);
  });

  it('runs memory-pressure with stress-ng and leaves nothing behind on revert', async () => {
    const { instance } = await startSleep();
    const action = await planOne(fault({ type: 'memory-pressure', size: '32MiB' }), [instance]);
    expect(action.label).toMatch(/hold 32 MiB in 1 worker via stress-ng/);
    const worker = await applyStress(action);
    expect(await eventually(async () => (await groupMembers(worker.pid)).length >= 2)).toBe(true);
    await revert(action);
    expect(await groupMembers(worker.pid)).toEqual([]);
  });

  it('fails the apply when stress-ng refuses its arguments, leaving nothing behind', async () => {
    const action = stressAction({ label: 'bad', command: { file: 'stress-ng', args: ['--cpu', 'x'], engine: 'stress-ng', isolation: 'process-group' } });
    const error = await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(error.message).toMatch(/exited at once with code 1: .*non-numeric/);
    expect(action.undoRecipe.kind).toBe('none');
  });
});

// ---------------------------------------------------------------------------------------------

describe('command', () => {
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-injectors-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('runs inject through the shell with the fault env, the target pids and the fault id', async () => {
    const dir = await tempDir();
    const targets = [
      { id: 'a', pid: 101, startTime: '1', command: 'x', managed: false },
      { id: 'b', pid: 202, startTime: '1', command: 'x', managed: false },
    ];
    const f = fault({
      type: 'command',
      id: 'flip',
      inject: 'printf "%s|%s|%s|%s" "$FIREDRILL_TARGET_PIDS" "$FIREDRILL_FAULT_ID" "$GREETING" "$HOME" > "$OUT/inject"',
      revert: ['sh', '-c', 'printf reverted > "$OUT/revert"'],
      env: { GREETING: 'hello', OUT: dir },
    });
    const action = await planOne(f, targets);
    expect(action.undoRecipe).toEqual({
      kind: 'command',
      command: ['sh', '-c', 'printf reverted > "$OUT/revert"'],
      env: { GREETING: 'hello', OUT: dir, FIREDRILL_TARGET_PIDS: '101,202', FIREDRILL_FAULT_ID: 'flip' },
      timeoutMs: 30_000,
    });
    await applyGuarded(action);
    expect(await readFile(join(dir, 'inject'), 'utf8')).toBe(`101,202|flip|hello|${process.env.HOME ?? ''}`);
    await revert(action);
    expect(await readFile(join(dir, 'revert'), 'utf8')).toBe('reverted');
  });

  it('runs an argv list directly, without a shell', async () => {
    const dir = await tempDir();
    const write = `require('fs').writeFileSync(${JSON.stringify(join(dir, 'x'))}, process.argv[1])`;
    const action = await planOne(fault({ type: 'command', inject: [process.execPath, '-e', write, '$NOT_EXPANDED'], revert: 'true' }), []);
    await applyGuarded(action);
    expect(await readFile(join(dir, 'x'), 'utf8')).toBe('$NOT_EXPANDED');
  });

  it('fails the inject with the exit code and the last stderr line', async () => {
    const f = fault({ type: 'command', inject: 'echo first >&2; echo "disk is full" >&2; exit 3', revert: 'true' });
    const action = await planOne(f, []);
    cleanups.push(() => revert(action).catch(() => undefined));
    const error = await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(error.message).toMatch(/exited with code 3: disk is full/);
    expect(error.details).toMatchObject({ exitCode: 3, stderr: 'disk is full', timedOut: false });
  });

  it('stops an inject that outlives its timeout, with everything it started', async () => {
    const dir = await tempDir();
    const f = fault({ type: 'command', inject: `sleep 30 & echo $! > "${dir}/pid"; wait`, revert: 'true', timeout: '300ms' });
    const action = await planOne(f, []);
    cleanups.push(() => revert(action).catch(() => undefined));
    const error = await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(error.message).toMatch(/did not finish within 300ms/);
    expect(error.details).toMatchObject({ timedOut: true });
    const sleepPid = Number(await readFile(join(dir, 'pid'), 'utf8'));
    cleanups.push(() => killQuietly(sleepPid, 'SIGKILL'));
    expect(await eventually(async () => (await state(sleepPid)) === undefined || (await state(sleepPid)) === 'Z')).toBe(true);
  });

  it('stops the inject when the run is aborted', async () => {
    const f = fault({ type: 'command', inject: 'sleep 30', revert: 'true' });
    const action = await planOne(f, []);
    cleanups.push(() => revert(action).catch(() => undefined));
    const abort = new AbortController();
    const applying = action.apply(abort.signal);
    await delay(100);
    abort.abort();
    const error = await expectCode(applying, 'FD_INJECT_FAILED');
    expect(error.message).toMatch(/was stopped before it finished/);
  });

  it('fails the revert with FD_REVERT_FAILED and runs it again on the next revert until it succeeds', async () => {
    const dir = await tempDir();
    // fails the first time, succeeds the second, and counts every run
    const f = fault({
      type: 'command',
      inject: 'true',
      revert: `echo x >> "${dir}/runs"; [ "$(wc -l < "${dir}/runs")" -ge 2 ] || { echo "not yet" >&2; exit 1; }`,
    });
    const action = await planOne(f, []);
    await applyGuarded(action);
    const error = await expectCode(revert(action), 'FD_REVERT_FAILED');
    expect(error.message).toMatch(/exited with code 1: not yet/);
    await revert(action);
    await revert(action);
    expect((await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('does not run the revert command when inject never ran', async () => {
    const dir = await tempDir();
    const f = fault({ type: 'command', inject: 'true', revert: `touch "${dir}/reverted"` });
    const action = await planOne(f, []);
    await revert(action);
    await expect(readFile(join(dir, 'reverted'))).rejects.toThrow(/ENOENT/);
  });

  it('reports a command that cannot be started', async () => {
    const f = fault({ type: 'command', inject: ['/nonexistent/firedrill-tool'], revert: 'true' });
    const action = await planOne(f, []);
    const error = await expectCode(action.apply(new AbortController().signal), 'FD_INJECT_FAILED');
    expect(error.message).toMatch(/could not start: .*ENOENT/);
  });
});
