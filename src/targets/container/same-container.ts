/** The inject-time re-check for containers: still the very same container, and still running. */
import { inspectContainer } from '../../docker/containers.js';
import { connectEngine, type Engine } from '../../docker/engine.js';
import type { TargetInstance } from '../contract.js';

/**
 * Why `instance` may no longer be faulted (gone, replaced by a new container of the same name,
 * stopped, paused), or undefined when it is still the container that was resolved and it runs.
 */
export async function whyContainerChanged(instance: TargetInstance, signal: AbortSignal, onEngine?: Engine): Promise<string | undefined> {
  const wanted = instance.container;
  if (!wanted) return 'it is not a container';
  const engine = onEngine ?? (await connectEngine(signal, 'FD_TARGET_NOT_FOUND'));
  // inspect by id: a container recreated under the same name (compose up) has a new id and is not ours
  const now = await inspectContainer(engine, wanted.id, 'FD_TARGET_NOT_FOUND', signal);
  if (!now) return `container ${wanted.name} (${wanted.id.slice(0, 12)}) no longer exists`;
  if (now.paused) return `container ${wanted.name} is paused`;
  if (!now.running) return `container ${wanted.name} is ${now.status}`;
  return undefined;
}
