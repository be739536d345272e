/** Resolves `container:` targets into the running containers they name on the Docker engine right now. */
import { inspectContainer, listContainers, type ContainerState } from '../../docker/containers.js';
import { connectEngine, type Engine } from '../../docker/engine.js';
import type { Resolution, ResolveContext, TargetInstance } from '../contract.js';
import { truncateCommand } from '../instance.js';
import { containerMatcher, describeSelector, requiredLabels, type ContainerSelector } from './selector.js';

/**
 * The running containers the selector names, sorted by name (so a seeded random pick picks the
 * same containers again). Finding none is not an error here: the caller decides. An engine that
 * does not answer is (FD_PREFLIGHT_FAILED, exit 4: nothing was injected).
 */
export async function resolveContainers(selector: ContainerSelector, ctx: ResolveContext): Promise<Resolution> {
  const engine = await connectEngine(ctx.signal, 'FD_PREFLIGHT_FAILED');
  const instances = (await containersOn(engine, selector, ctx.signal)).filter((s) => !ctx.protectedPids.has(s.pid)).map(containerInstance);
  return { instances, resolvedBy: `${describeSelector(selector)} on ${engine.address}` };
}

/** The running, unpaused containers the selector names on `engine`, sorted by name. */
export async function containersOn(engine: Engine, selector: ContainerSelector, signal: AbortSignal): Promise<ContainerState[]> {
  const matches = containerMatcher(selector);
  const listed = (await listContainers(engine, requiredLabels(selector), 'FD_PREFLIGHT_FAILED', signal)).filter(matches);
  const states = await Promise.all(listed.map((c) => inspectContainer(engine, c.id, 'FD_PREFLIGHT_FAILED', signal)));
  // a container can stop between list and inspect
  return states.filter((s): s is ContainerState => s !== undefined && s.running && !s.paused);
}

/** The target instance for one container. */
export function containerInstance(s: ContainerState): TargetInstance {
  return {
    id: s.name,
    pid: s.pid,
    startTime: s.startedAt,
    command: truncateCommand(`container ${s.name} (${s.image}, id ${s.id.slice(0, 12)})`),
    managed: false,
    container: { id: s.id, name: s.name },
  };
}
