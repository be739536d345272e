/** The hosts a `hosts:` target names (list, or inventory + group), in inventory order, with its bastion. */
import { resolve as resolvePath } from 'node:path';
import { hostsOf, inventoryFromList, type InventoryHost } from '../../inventory/inventory.js';
import { loadInventory } from '../../inventory/load-inventory.js';
import { parseHostAddress } from '../../ssh/host-address.js';
import type { HostsSpec } from './schema.js';

export function hostsOfSpec(spec: HostsSpec, baseDir: string): InventoryHost[] {
  const inventory = spec.list ? inventoryFromList(spec.list) : loadInventory(resolvePath(baseDir, spec.inventory as string));
  const hosts = hostsOf(inventory, spec.list ? 'all' : spec.group);
  if (!spec.jump) return hosts;
  const jump = parseHostAddress(spec.jump, 'hosts.jump');
  return hosts.map((h) => ({ ...h, jump: h.jump ?? jump }));
}
