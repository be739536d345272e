/** What every container injector checks first: its instances are containers, and the engine answers. */
import { inspectContainer, type ContainerState } from '../../docker/containers.js';
import { checkEngine, type Engine } from '../../docker/engine.js';
import { errorMessage, FiredrillError, type ErrorCode } from '../../errors.js';
import { executorFor } from '../../executors/registry.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { InjectorContext } from '../contract.js';
import type { UndoVia } from './undo-recipe.js';

/** The container behind `instance`; throws when the target is not a `container:` target. */
export function containerOf(instance: TargetInstance): { id: string; name: string } {
  if (!instance.container) {
    throw new FiredrillError('FD_PREFLIGHT_FAILED', `${instance.id} is a process, not a container; container faults need a \`container:\` target`, { instance: instance.id });
  }
  return instance.container;
}

/** `container redis (3f2a1b2c3d4e)`: for labels and messages. */
export function describeContainer(instance: TargetInstance): string {
  const c = containerOf(instance);
  return `container ${c.name} (${c.id.slice(0, 12)})`;
}

/**
 * Preflight shared by all container faults: every instance is a container, the engine answers,
 * and each container still exists. Returns the engine and the current state of each container
 * (by id) for fault-specific checks, plus the problems found.
 */
export async function containerPreflight(ctx: InjectorContext): Promise<{ problems: string[]; engine?: Engine; states: Map<string, ContainerState> }> {
  const states = new Map<string, ContainerState>();
  const notContainers = ctx.instances.filter((i) => !i.container).map((i) => i.id);
  if (notContainers.length > 0) {
    return { problems: [`${ctx.fault.type} acts on containers, but ${notContainers.join(', ')} ${notContainers.length === 1 ? 'is a process' : 'are processes'}; use a \`container:\` target`], states };
  }
  const problems: string[] = [];
  let engine: Engine | undefined;
  for (const instance of ctx.instances) {
    const c = containerOf(instance);
    let here: Engine;
    try {
      here = await engineOf(instance, ctx.signal, 'FD_PREFLIGHT_FAILED');
    } catch (e) {
      problems.push(errorMessage(e));
      continue;
    }
    engine ??= here;
    const state = await inspectContainer(here, c.id, 'FD_PREFLIGHT_FAILED', ctx.signal);
    if (state) states.set(c.id, state);
    else problems.push(`container ${c.name} (${c.id.slice(0, 12)}) no longer exists`);
  }
  return { problems, ...(engine ? { engine } : {}), states };
}

/**
 * The Docker engine that runs `instance`: its executor's (this machine's DOCKER_HOST, or a remote
 * host's engine over that host's SSH connection), checked to answer.
 */
/** How an injector's own revert reaches its instance's engine (local: this machine's, whose cgroups it may thaw). */
export function undoVia(instance: TargetInstance): UndoVia {
  return { engine: (signal) => engineOf(instance, signal, 'FD_REVERT_FAILED'), local: instance.host === undefined };
}

export async function engineOf(instance: TargetInstance, signal: AbortSignal, code: ErrorCode): Promise<Engine> {
  const executor = executorFor(instance);
  if (!executor.dockerEngine) throw new FiredrillError(code, `${executor.where} offers no Docker engine to reach; container faults need one`, { where: executor.where });
  return checkEngine(await executor.dockerEngine(), signal, code);
}
