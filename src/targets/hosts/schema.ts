/** `targets.<name>.hosts`: remote hosts over SSH, a list or an Ansible inventory, and what to pick on each. */
import * as z from 'zod';
import { durationBetween } from '../../values/schema-values.js';
import { processSelectorSchema } from '../process/schema.js';
import { containerSelectorSchema } from '../container/schema.js';

export const hostsSpecSchema = z
  .strictObject({
    list: z.array(z.string().min(1)).min(1).optional().meta({ description: 'Hosts as user@host:port (user and port optional)', examples: [['root@web-1.staging:22']] }),
    inventory: z.string().min(1).optional().meta({ description: 'An Ansible inventory file (INI or YAML), relative to the drill', examples: ['inventory/staging.ini'] }),
    group: z.string().min(1).default('all').meta({ description: 'The inventory group (children included); default all', examples: ['redis'] }),
    jump: z.string().min(1).optional().meta({ description: 'A bastion (user@host:port) to reach every host through (ProxyJump)', examples: ['ops@bastion.staging:22'] }),
    process: processSelectorSchema.optional().meta({ description: 'Processes resolved on each host; omit to target the host itself (network faults)', examples: [{ match: 'redis-server' }] }),
    container: containerSelectorSchema.optional().meta({ description: "Running containers on each host's Docker engine (reached over the host's SSH connection); container faults act on them", examples: [{ name: 'redis' }] }),
    lease: durationBetween(1000, 600_000).prefault('5s').meta({ description: 'The remote dead-man lease: a host reverts its faults by itself when the runner has not renewed for this long', examples: ['5s'] }),
  })
  .meta({ examples: [{ inventory: 'inventory/staging.ini', group: 'redis', process: { match: 'redis-server' } }] })
  .refine((h) => (h.list === undefined) !== (h.inventory === undefined), { message: 'a hosts target names exactly one of list or inventory' })
  .refine((h) => h.process === undefined || h.container === undefined, { message: 'a hosts target picks processes or containers on each host, not both' });

export type HostsSpec = z.output<typeof hostsSpecSchema>;
