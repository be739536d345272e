/** What every container injector checks first: its instances are containers, and the engine answers. */
import { inspectContainer, type ContainerState } from '../../docker/containers.js';
import { connectEngine, type Engine } from '../../docker/engine.js';
import { errorMessage, FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { InjectorContext } from '../contract.js';

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
  let engine: Engine;
  try {
    engine = await connectEngine(ctx.signal, 'FD_PREFLIGHT_FAILED');
  } catch (e) {
    return { problems: [errorMessage(e)], states };
  }
  const problems: string[] = [];
  for (const instance of ctx.instances) {
    const c = containerOf(instance);
    const state = await inspectContainer(engine, c.id, 'FD_PREFLIGHT_FAILED', ctx.signal);
    if (state) states.set(c.id, state);
    else problems.push(`container ${c.name} (${c.id.slice(0, 12)}) no longer exists`);
  }
  return { problems, engine, states };
}

