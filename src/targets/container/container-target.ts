/** The `container:` kind: running containers on the Docker engine (DOCKER_HOST), by name, labels or compose service. */
import type { z } from 'zod';
import type { TargetResolver } from '../contract.js';
import { resolveContainers } from './resolve-container.js';
import { whyContainerChanged } from './same-container.js';
import { containerSelectorSchema, type ContainerSelector } from './schema.js';

export const containerTarget: TargetResolver<ContainerSelector, z.input<typeof containerSelectorSchema>> = {
  kind: 'container',
  schema: containerSelectorSchema,
  example: { compose: { project: 'shop', service: 'redis' } },
  recordKind: 'container',
  describe(spec) {
    const parts = [
      ...(spec.name !== undefined ? [`name ${spec.name}`] : []),
      ...(spec.label ?? []).map((l) => `label ${l}`),
      ...(spec.compose ? [`compose ${spec.compose.project}${spec.compose.service !== undefined ? `/${spec.compose.service}` : ''}`] : []),
    ];
    return `containers with ${parts.join(', ')}`;
  },
  resolve: (_name, spec, ctx) => resolveContainers(spec, ctx),
  // the very same container (by id), still running
  stillSame: async (instance, now, ctx) => now.some((i) => i.id === instance.id) && (await whyContainerChanged(instance, ctx.signal)) === undefined,
  label: (instance) => `container ${instance.container?.name ?? instance.id}`,
};
