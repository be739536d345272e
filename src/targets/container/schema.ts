/** `targets.<name>.container`: running containers on the Docker engine, by name, labels or compose service. */
import * as z from 'zod';

export const containerSelectorSchema = z
  .strictObject({
    name: z.string().min(1).optional().meta({ description: 'The container name, or /regex/', examples: ['shop-redis-1', '/^shop-web-/'] }),
    label: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .meta({ description: 'key=value (or just key); a list means every label must be there', examples: ['tier=cache', ['app=shop', 'tier=web']] }),
    compose: z
      .strictObject({
        project: z.string().min(1).meta({ description: 'The compose project (com.docker.compose.project)', examples: ['shop'] }),
        service: z.string().min(1).optional().meta({ description: 'The compose service (com.docker.compose.service)', examples: ['redis'] }),
      })
      .optional()
      .meta({ description: 'Containers of a compose project (and service)', examples: [{ project: 'shop', service: 'redis' }] }),
  })
  .meta({ examples: [{ compose: { project: 'shop', service: 'redis' } }] })
  .refine((c) => c.name !== undefined || c.label !== undefined || c.compose !== undefined, {
    message: 'a container target names at least one of name, label or compose (several narrow it down)',
  });

export type ContainerSelector = z.output<typeof containerSelectorSchema>;
