/**
 * `container-stress`: CPU or memory pressure *inside* the container's limits. A helper container
 * runs stress-ng with the target's cgroup as its cgroup parent, so its load counts against the
 * target's CPU quota and memory limit exactly like the target's own processes (the approach
 * Pumba takes). Nothing about the target is changed, so the revert is exact: remove the helper.
 * The helper also ends by itself (stress-ng `--timeout`), and the engine removes it when it exits.
 */
import { randomBytes } from 'node:crypto';
import type { ContainerState } from '../../docker/containers.js';
import { inspectContainer } from '../../docker/containers.js';
import { cgroupSetup, hasImage, startHelper, type HelperSpec } from '../../docker/helper-container.js';
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { formatBytes, parseMemorySize } from '../resource/memory-size.js';
import { SELF_END_GRACE_MS, stressNgArgs, type StressLoad } from '../resource/stress-command.js';
import { dockerHostOf } from './undo-recipe.js';
import { containerOf, containerPreflight, describeContainer, engineOf, undoVia } from './target-container.js';
import { containerUndo, containerUndoKind, undoContainer } from './undo-recipe.js';
import { formatPercent } from '../../values/percent.js';
import { containerStressSchema, type ContainerStressFault } from './schema.js';

type StressFault = ContainerStressFault;

/** Memory pressure may take at most this share of the container's limit: the rest is the target's. */
const MAX_MEMORY_SHARE = 0.8;
export const STRESS_ROLE = 'stress';

export const containerStress: Injector<StressFault> = {
  type: 'container-stress',
  example: { type: 'container-stress', target: 'redis', duration: '30s', resource: 'memory', size: '64MiB' },
  schema: containerStressSchema,
  targets: ['container', 'hosts'],
  describe: (f) =>
    f.resource === 'memory'
      ? `hold ${f.size ?? '?'} in ${f.workers} worker${f.workers === 1 ? '' : 's'} inside the container (${f.image})`
      : `${f.workers} worker${f.workers === 1 ? '' : 's'} at ${formatPercent(f.load)} load inside the container (${f.image})`,
  undo: [containerUndoKind],
  async preflight(ctx) {
    const { problems, engine, states } = await containerPreflight(ctx);
    if (!engine) return problems;
    const o = { code: 'FD_PREFLIGHT_FAILED', signal: ctx.signal } as const;
    const cgroups = await cgroupSetup(engine, o);
    if (cgroups.driver !== 'cgroupfs') {
      problems.push(`container-stress nests its stress process in the target's cgroup, which needs the engine's cgroupfs driver; the engine at ${engine.address} uses ${cgroups.driver || 'an unknown driver'}`);
    }
    if (!(await hasImage(engine, ctx.fault.image, o))) {
      problems.push(`image ${ctx.fault.image} is not on the engine (firedrill never pulls during a drill); build it: docker build -t ${ctx.fault.image} examples/compose/stress-ng, or set image: to a local image whose entrypoint is stress-ng`);
    }
    for (const state of states.values()) {
      const load = stressLoad(ctx.fault, state);
      if (typeof load === 'string') problems.push(load);
    }
    return problems;
  },
  plan(ctx: InjectorContext<StressFault>): FaultAction[] {
    return ctx.instances.map((instance) => stressAction(ctx.fault, instance));
  },
};

/** The load for `state`'s limits, or why it cannot be applied. */
export function stressLoad(fault: StressFault, state: Pick<ContainerState, 'name' | 'memoryLimitBytes'>): StressLoad | string {
  if (fault.resource === 'cpu') return { mode: 'cpu', workers: fault.workers, load: fault.load };
  const size = fault.size ?? '';
  const limit = state.memoryLimitBytes;
  if (size.trim().endsWith('%') && limit <= 0) return `size ${size} is a share of container ${state.name}'s memory limit, but it has none; write an absolute size such as 256MiB`;
  const bytes = parseMemorySize(size, limit);
  if (bytes === undefined || bytes <= 0) return `size ${JSON.stringify(size)} is not a memory size`;
  if (limit > 0 && bytes > limit * MAX_MEMORY_SHARE) {
    return `holding ${formatBytes(bytes)} in container ${state.name} (limit ${formatBytes(limit)}) leaves too little room: the OOM killer could end the target's own processes; ask for at most ${Math.round(MAX_MEMORY_SHARE * 100)}% of the limit`;
  }
  return { mode: 'memory', workers: fault.workers, bytes };
}

/** The helper container for `load` inside `state`'s cgroup (cgroupfs driver). Pure. */
export function stressHelperSpec(fault: StressFault, state: Pick<ContainerState, 'id' | 'name' | 'cgroupParent'>, load: StressLoad, name: string): HelperSpec {
  return {
    name,
    image: fault.image,
    // the helper ends by itself a little after the fault, even if nobody reverts it
    args: stressNgArgs(load, fault.duration + SELF_END_GRACE_MS),
    role: STRESS_ROLE,
    labels: { 'io.firedrill.target': state.id },
    // the engine's default parent for cgroupfs is /docker; the target's own cgroup is <parent>/<id>
    cgroupParent: `${(state.cgroupParent || '/docker').replace(/\/+$/, '')}/${state.id}`,
  };
}

function stressAction(fault: StressFault, instance: TargetInstance): FaultAction {
  const container = containerOf(instance);
  const helperName = `firedrill-stress-${container.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${randomBytes(4).toString('hex')}`;
  // the helper does not exist yet; removing it by name is the undo, and a no-op if it never started
  const undoRecipe = containerUndo('remove', { id: helperName, name: helperName }, dockerHostOf(instance));
  const what = fault.resource === 'cpu' ? `${fault.workers} CPU worker${fault.workers === 1 ? '' : 's'} at ${Math.round(fault.load * 100)}%` : `hold ${fault.size} of memory`;
  return {
    label: `stress ${describeContainer(instance)}: ${what}`,
    instance,
    undoRecipe,
    async apply(signal) {
      const engine = await engineOf(instance, signal, 'FD_INJECT_FAILED');
      const o = { code: 'FD_INJECT_FAILED', signal } as const;
      const state = await inspectContainer(engine, container.id, o.code, signal);
      if (!state || !state.running) throw new FiredrillError('FD_INJECT_FAILED', `${describeContainer(instance)} is not running`, { container: container.id });
      const load = stressLoad(fault, state);
      if (typeof load === 'string') throw new FiredrillError('FD_INJECT_FAILED', load, { container: container.id });
      await startHelper(engine, stressHelperSpec(fault, state, load, helperName), o);
      const helper = await inspectContainer(engine, helperName, o.code, signal);
      if (!helper?.running) throw new FiredrillError('FD_INJECT_FAILED', `the stress helper for ${describeContainer(instance)} exited at once; try it by hand: docker run --rm ${fault.image} ${load.mode === 'cpu' ? '--cpu 1' : '--vm 1'} --timeout 5s`, { container: container.id });
    },
    async revert(signal) {
      await undoContainer(undoRecipe, signal, undoVia(instance));
    },
  };
}
