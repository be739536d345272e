/**
 * A fleet inventory: named hosts with their SSH address, the groups they belong to, and how to
 * reach them (jump host, key file). Built from a plain host list or an Ansible inventory
 * (ansible-ini.ts, ansible-yaml.ts); `hostsOf` picks a group (or `all`).
 */
import { FiredrillError } from '../errors.js';
import { parseHostAddress, type HostAddress } from '../ssh/host-address.js';

export interface InventoryHost {
  name: string;
  address: HostAddress;
  groups: string[];
  /** ProxyJump, from ansible_ssh_common_args / ansible_ssh_extra_args (`-J x` or `-o ProxyJump=x`) or firedrill_jump */
  jump?: HostAddress;
  /** ansible_ssh_private_key_file */
  identityFile?: string;
}

export interface Inventory {
  hosts: InventoryHost[];
  /** group name → host names (children expanded), `all` included */
  groups: Map<string, string[]>;
}

/** Variables as Ansible merges them: all < parent group < child group < host. */
export type Vars = Record<string, unknown>;

/** A plain list (`user@host:port`) as an inventory whose host names are the addresses as written. */
export function inventoryFromList(list: readonly string[]): Inventory {
  const hosts = list.map((text, i) => {
    const address = parseHostAddress(text, `hosts[${i}]`);
    return { name: address.port === 22 ? address.host : `${address.host}:${address.port}`, address, groups: ['all'] };
  });
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) throw new FiredrillError('FD_INVENTORY_INVALID', `host ${h.name} is listed twice`, { host: h.name });
    seen.add(h.name);
  }
  return { hosts, groups: new Map([['all', hosts.map((h) => h.name)]]) };
}

/** Builds an inventory host from its merged variables (the shared part of both Ansible forms). */
export function hostFromVars(name: string, vars: Vars, groups: string[], where: string): InventoryHost {
  const str = (k: string): string | undefined => (vars[k] === undefined || vars[k] === null ? undefined : String(vars[k]));
  const host = str('ansible_host') ?? str('ansible_ssh_host') ?? name;
  const portText = str('ansible_port') ?? str('ansible_ssh_port');
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: host ${name} has ansible_port ${String(portText)}, not a port number`, { host: name });
  }
  const user = str('ansible_user') ?? str('ansible_ssh_user');
  if (!/^[A-Za-z0-9_.:[\]-]+$/.test(host)) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: host ${name} has ansible_host "${host}", not a host name or address`, { host: name });
  const args = [str('ansible_ssh_common_args'), str('ansible_ssh_extra_args')].filter((a): a is string => a !== undefined).join(' ');
  const jumpText = str('firedrill_jump') ?? /ProxyJump[= ]\s*([^\s'"]+)/.exec(args)?.[1] ?? /(?:^|\s)-J\s*([^\s'"]+)/.exec(args)?.[1];
  const identityFile = str('ansible_ssh_private_key_file') ?? str('ansible_private_key_file');
  return {
    name,
    address: { ...(user ? { user } : {}), host: host.replace(/^\[|\]$/g, ''), port },
    groups,
    ...(jumpText ? { jump: parseHostAddress(jumpText, `${where}: host ${name} ProxyJump`) } : {}),
    ...(identityFile ? { identityFile } : {}),
  };
}

/** The hosts of a group (`all` for every host), in inventory order; refuses an unknown group. */
export function hostsOf(inventory: Inventory, group: string): InventoryHost[] {
  const names = inventory.groups.get(group);
  if (!names) {
    const known = [...inventory.groups.keys()].sort().join(', ');
    throw new FiredrillError('FD_INVENTORY_INVALID', `the inventory has no group "${group}" (groups: ${known})`, { group });
  }
  const wanted = new Set(names);
  return inventory.hosts.filter((h) => wanted.has(h.name));
}

/** Expands Ansible host ranges: `web[1:3]` → web1 web2 web3, `db[01:02]` keeps the width, `[a:c]` letters. */
export function expandHostPattern(pattern: string): string[] {
  const m = /^(.*?)\[([0-9a-z]+):([0-9a-z]+)(?::(\d+))?\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head, from, to, stepText, tail] = m as unknown as [string, string, string, string, string | undefined, string];
  const step = stepText ? Number(stepText) : 1;
  const out: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const width = from.length > 1 && from.startsWith('0') ? from.length : 0;
    for (let i = Number(from); i <= Number(to) && out.length < 10_000; i += step) out.push(String(i).padStart(width, '0'));
  } else if (/^[a-z]$/.test(from) && /^[a-z]$/.test(to)) {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) out.push(String.fromCharCode(c));
  } else return [pattern];
  return out.flatMap((mid) => expandHostPattern(`${head}${mid}${tail}`));
}

/** Resolves children into member lists and detects cycles; `all` holds every host. */
export function buildGroups(direct: Map<string, string[]>, children: Map<string, string[]>, allHosts: string[], where: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (group: string, path: string[]): string[] => {
    const done = out.get(group);
    if (done) return done;
    if (path.includes(group)) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: groups form a cycle: ${[...path, group].join(' → ')}`, {});
    const members = new Set(direct.get(group) ?? []);
    for (const child of children.get(group) ?? []) for (const h of visit(child, [...path, group])) members.add(h);
    const list = allHosts.filter((h) => members.has(h));
    out.set(group, list);
    return list;
  };
  for (const g of new Set([...direct.keys(), ...children.keys()])) visit(g, []);
  out.set('all', allHosts);
  return out;
}
