/**
 * The container injectors against real containers on a real Docker engine: images built here
 * from host binaries, started with testcontainers, every one labelled with this run's id and
 * removed by that label after the suite (also when a test fails).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectContainer, type ContainerState } from '../../src/docker/containers.js';
import { connectEngine, type Engine } from '../../src/docker/engine.js';
import { faultSchema, type FaultSpec } from '../../src/drill/schema.js';
import type { FaultAction, InjectorContext, ManagedTargets } from '../../src/injectors/contract.js';
import { injectorFor } from '../../src/injectors/registry.js';
import { undoContainer, type ContainerUndoRecipe } from '../../src/injectors/container/undo-recipe.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { TargetInstance } from '../../src/targets/contract.js';
import { resolveContainers } from '../../src/targets/container/resolve-container.js';
import { repoRoot } from '../support/cli.js';
import { buildRedisImage, buildSleeperImage, buildStressImage, dockerMissing, IMAGES, removeTestContainers, startTestContainer, TEST_LABEL } from '../support/images.js';

const skip = dockerMissing(['redis-server', 'busybox', 'stress-ng']);
const RUN = `inj-${process.pid}-${Date.now().toString(36)}`;
const signal = AbortSignal.timeout(10 * 60_000);
const noManaged: ManagedTargets = {
  isManaged: () => false,
  restart: () => Promise.reject(new Error('no managed targets here')),
};

let engine: Engine;

async function state(instance: TargetInstance): Promise<ContainerState | undefined> {
  return inspectContainer(engine, instance.container?.id ?? '', 'FD_INTERNAL', signal);
}

/** The one running container with role `role` from this run, resolved the way a drill does. */
async function target(role: string): Promise<TargetInstance> {
  const { instances } = await resolveContainers({ label: [`${TEST_LABEL}=${RUN}`, `role=${role}`] }, { signal, protectedPids: new Set() });
  expect(instances).toHaveLength(1);
  return instances[0] as TargetInstance;
}

function fault(spec: Record<string, unknown>): FaultSpec {
  return faultSchema.parse({ target: 't', duration: '10s', ...spec });
}

function context(f: FaultSpec, instances: TargetInstance[]): InjectorContext {
  return { fault: f, instances, managed: noManaged, logger: silentLogger(), signal };
}

async function planOne(f: FaultSpec, instance: TargetInstance): Promise<FaultAction> {
  const ctx = context(f, [instance]);
  expect(await injectorFor(f).preflight?.(ctx)).toEqual([]);
  const actions = await injectorFor(f).plan(ctx);
  expect(actions).toHaveLength(1);
  return actions[0] as FaultAction;
}

/** CPU time (ns) the container's cgroup has used, from the engine's one-shot stats. */
async function cpuNanos(id: string): Promise<number> {
  const stats: unknown = await engine.docker.getContainer(id).stats({ stream: false });
  const usage = (stats as { cpu_stats?: { cpu_usage?: { total_usage?: unknown } } }).cpu_stats?.cpu_usage?.total_usage;
  return typeof usage === 'number' ? usage : NaN;
}

async function memoryBytes(id: string): Promise<number> {
  const stats: unknown = await engine.docker.getContainer(id).stats({ stream: false });
  const usage = (stats as { memory_stats?: { usage?: unknown } }).memory_stats?.usage;
  return typeof usage === 'number' ? usage : NaN;
}

describe.skipIf(skip)('container injectors on a real engine', () => {
  afterAll(async () => {
    await removeTestContainers(RUN);
  });

  beforeAll(async () => {
    await Promise.all([buildSleeperImage(), buildRedisImage(), buildStressImage()]);
    engine = await connectEngine(signal, 'FD_INTERNAL');
    const sleeper = (role: string, extra: Partial<Parameters<typeof startTestContainer>[0]> = {}) =>
      startTestContainer({ image: IMAGES.sleeper, run: RUN, role, name: `fd-${RUN}-${role}`, command: ['echo ready; exec sleep 600'], ready: /ready/, ...extra });
    await Promise.all([
      sleeper('pause'),
      sleeper('stop'),
      sleeper('kill'),
      sleeper('restart'),
      sleeper('recipe'),
      sleeper('gone'),
      sleeper('cpu', { cpus: 0.5 }),
      sleeper('memory', { memoryGiB: 0.25 }),
    ]);
  });

  it('resolves containers by label to instances that name the container', async () => {
    const instance = await target('pause');
    expect(instance.container?.name).toBe(`fd-${RUN}-pause`);
    expect(instance.id).toBe(instance.container?.name);
    expect(instance.command).toContain(IMAGES.sleeper);
    expect((await state(instance))?.running).toBe(true);
  });

  it('pauses a container and unpauses it on revert, also when the revert runs twice', async () => {
    const instance = await target('pause');
    const action = await planOne(fault({ type: 'container-pause' }), instance);
    expect(action.undoRecipe).toMatchObject({ kind: 'container', action: 'unpause', container: instance.container?.id });
    try {
      await action.apply(signal);
      expect((await state(instance))?.paused).toBe(true);
      // a paused container is no longer a target: a second drill cannot pick it up
      const again = await resolveContainers({ label: [`${TEST_LABEL}=${RUN}`, 'role=pause'] }, { signal, protectedPids: new Set() });
      expect(again.instances).toEqual([]);
    } finally {
      await action.revert(signal);
    }
    expect((await state(instance))?.paused).toBe(false);
    await action.revert(signal);
    expect((await state(instance))?.running).toBe(true);
    // the undo unpauses first and judges by the state after: a running container is reported as such
    expect(await undoContainer(action.undoRecipe as ContainerUndoRecipe, signal)).toBe(`container fd-${RUN}-pause was not paused`);
  });

  it('a separate process unpauses the container from the undo recipe alone (what recover and the dead-man switch do)', async () => {
    const instance = await target('recipe');
    const action = await planOne(fault({ type: 'container-pause' }), instance);
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-recipe-'));
    try {
      await action.apply(signal);
      expect((await state(instance))?.paused).toBe(true);
      const script = join(dir, 'undo.mts');
      await writeFile(
        script,
        `import { undoContainer } from ${JSON.stringify(join(repoRoot, 'src/injectors/container/undo-recipe.ts'))};\n` +
          'console.log(await undoContainer(JSON.parse(process.argv[2]), AbortSignal.timeout(20000)));\n',
      );
      const r = await execa(process.execPath, ['--import', 'tsx', script, JSON.stringify(action.undoRecipe)], { cwd: repoRoot, reject: false, timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('unpaused');
      expect((await state(instance))?.paused).toBe(false);
    } finally {
      await action.revert(signal);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops a container and starts it again on revert', async () => {
    const instance = await target('stop');
    const action = await planOne(fault({ type: 'container-stop', stopTimeout: '1s' }), instance);
    try {
      await action.apply(signal);
      expect((await state(instance))?.running).toBe(false);
    } finally {
      await action.revert(signal);
    }
    const after = await state(instance);
    expect(after?.running).toBe(true);
    expect(after?.startedAt).not.toBe(instance.startTime);
  });

  it('kills a container with SIGKILL and starts it again on revert', async () => {
    const instance = await target('kill');
    const action = await planOne(fault({ type: 'container-kill' }), instance);
    try {
      await action.apply(signal);
      const killed = await state(instance);
      expect(killed?.running).toBe(false);
      expect(killed?.status).toBe('exited');
    } finally {
      await action.revert(signal);
    }
    expect((await state(instance))?.running).toBe(true);
  });

  it('refuses a kill that cannot be undone unless it is acknowledged, and SIGSTOP altogether', async () => {
    const instance = await target('kill');
    const noRestart = fault({ type: 'container-kill', restart: false });
    expect((await injectorFor(noRestart).preflight?.(context(noRestart, [instance])))?.join('\n')).toMatch(/restart: false.*allowIrreversible/);
    const acknowledged = fault({ type: 'container-kill', restart: false, allowIrreversible: true });
    expect(await injectorFor(acknowledged).preflight?.(context(acknowledged, [instance]))).toEqual([]);
    const stop = fault({ type: 'container-kill', signal: 'SIGSTOP' });
    expect((await injectorFor(stop).preflight?.(context(stop, [instance])))?.join('\n')).toMatch(/container-pause/);
  });

  it('restarts a container; the revert finds it running', async () => {
    const instance = await target('restart');
    const action = await planOne(fault({ type: 'container-restart', stopTimeout: '1s' }), instance);
    try {
      await action.apply(signal);
      const restarted = await state(instance);
      expect(restarted?.running).toBe(true);
      expect(restarted?.startedAt).not.toBe(instance.startTime);
    } finally {
      await action.revert(signal);
    }
    expect((await state(instance))?.running).toBe(true);
  });

  it('refuses process targets, saying it needs a container: target', async () => {
    const proc: TargetInstance = { id: '123', pid: 123, startTime: '1', command: 'x', managed: false };
    const f = fault({ type: 'container-pause' });
    expect((await injectorFor(f).preflight?.(context(f, [proc])))?.join('\n')).toMatch(/is a process; use a `container:` target/);
  });

  it('treats a pause whose container was removed meanwhile as undone, and refuses to pretend a removed container was started again', async () => {
    const instance = await target('gone');
    const pause = await planOne(fault({ type: 'container-pause' }), instance);
    const stop = await planOne(fault({ type: 'container-stop', stopTimeout: '1s' }), instance);
    await pause.apply(signal);
    await execa('docker', ['rm', '-f', instance.container?.id ?? '']);
    await expect(pause.revert(signal)).resolves.toBeUndefined();
    await expect(stop.revert(signal)).rejects.toThrow(/no longer exists.*recreate it/);
  });

  it('runs CPU stress inside the target\'s cgroup: the target\'s own CPU usage grows, and the revert removes the helper', async () => {
    const instance = await target('cpu');
    const id = instance.container?.id ?? '';
    const action = await planOne(fault({ type: 'container-stress', resource: 'cpu', image: IMAGES.stress }), instance);
    const helper = (action.undoRecipe as ContainerUndoRecipe).container;
    try {
      await action.apply(signal);
      const helperState = await inspectContainer(engine, helper, 'FD_INTERNAL', signal);
      expect(helperState?.running).toBe(true);
      expect(helperState?.cgroupParent).toBe(`/docker/${id}`);
      const before = await cpuNanos(id);
      await delay(1000);
      // a 100 % worker inside a 0.5-CPU container: well over 50 ms of CPU per second is charged to the target
      expect((await cpuNanos(id)) - before).toBeGreaterThan(50e6);
    } finally {
      await action.revert(signal);
    }
    expect(await inspectContainer(engine, helper, 'FD_INTERNAL', signal)).toBeUndefined();
    expect((await state(instance))?.running).toBe(true);
    await action.revert(signal);
  });

  it('holds memory inside the container\'s limit and refuses a size that leaves the target no room', async () => {
    const instance = await target('memory');
    const id = instance.container?.id ?? '';
    const tooMuch = fault({ type: 'container-stress', resource: 'memory', size: '90%', image: IMAGES.stress });
    expect((await injectorFor(tooMuch).preflight?.(context(tooMuch, [instance])))?.join('\n')).toMatch(/too little room/);
    const action = await planOne(fault({ type: 'container-stress', resource: 'memory', size: '64MiB', image: IMAGES.stress }), instance);
    const before = await memoryBytes(id);
    try {
      await action.apply(signal);
      let held = 0;
      // stress-ng needs a moment to touch its pages; bounded wait
      for (let i = 0; i < 40 && held < 48 * 2 ** 20; i++) {
        await delay(100);
        held = (await memoryBytes(id)) - before;
      }
      expect(held).toBeGreaterThanOrEqual(48 * 2 ** 20);
    } finally {
      await action.revert(signal);
    }
    expect(await inspectContainer(engine, (action.undoRecipe as ContainerUndoRecipe).container, 'FD_INTERNAL', signal)).toBeUndefined();
  });

  it('refuses container-stress when the image is not on the engine, saying how to build it', async () => {
    const instance = await target('cpu');
    const f = fault({ type: 'container-stress', image: `local/firedrill-missing-${RUN}:none` });
    expect((await injectorFor(f).preflight?.(context(f, [instance])))?.join('\n')).toMatch(/not on the engine.*docker build/);
  });

  it('leaves no container of this run paused and no stress helper behind', async () => {
    const paused = await execa('docker', ['ps', '-q', '--filter', `label=${TEST_LABEL}=${RUN}`, '--filter', 'status=paused']);
    // helpers are named after their target: firedrill-stress-<target name>-<random>
    const helpers = await execa('docker', ['ps', '-aq', '--filter', 'label=io.firedrill.role=stress', '--filter', `name=firedrill-stress-fd-${RUN}`]);
    expect({ paused: paused.stdout, helpers: helpers.stdout }).toEqual({ paused: '', helpers: '' });
  });
});
