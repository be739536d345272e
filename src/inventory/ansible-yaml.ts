/**
 * Ansible's YAML inventory: `all:` (or any top-level group) with `hosts:` (name → vars),
 * `vars:` and `children:` (nested groups), to any depth.
 */
import { parse } from 'yaml';
import { FiredrillError } from '../errors.js';
import { buildGroups, hostFromVars, type Inventory, type Vars } from './inventory.js';

export function parseAnsibleYaml(text: string, file = 'inventory.yml'): Inventory {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: not YAML: ${e instanceof Error ? e.message : String(e)}`, {});
  }
  if (!isMap(doc)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: an inventory is a map of groups (all: {hosts:, children:})`, {});
  const order: string[] = [];
  const hostVars = new Map<string, Vars>();
  const direct = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  /** group → its own vars and its parent chain, for precedence */
  const groupVars = new Map<string, Vars>();
  const depth = new Map<string, number>();

  const walk = (group: string, body: unknown, level: number, path: string): void => {
    if (body === null || body === undefined) body = {};
    if (!isMap(body)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: ${path} must be a map (hosts:, vars:, children:)`, {});
    depth.set(group, Math.max(depth.get(group) ?? 0, level));
    if (!direct.has(group)) direct.set(group, []);
    const hosts = body.hosts ?? {};
    if (!isMap(hosts)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: ${path}.hosts must be a map of host name → variables`, {});
    for (const [name, vars] of Object.entries(hosts)) {
      if (vars !== null && vars !== undefined && !isMap(vars)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: ${path}.hosts.${name} must be a map of variables`, {});
      if (!hostVars.has(name)) order.push(name);
      hostVars.set(name, { ...hostVars.get(name), ...(vars ?? {}) });
      (direct.get(group) as string[]).push(name);
    }
    const vars = body.vars ?? {};
    if (!isMap(vars)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: ${path}.vars must be a map`, {});
    groupVars.set(group, { ...groupVars.get(group), ...vars });
    const kids = body.children ?? {};
    if (!isMap(kids)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: ${path}.children must be a map of groups`, {});
    for (const [child, childBody] of Object.entries(kids)) {
      children.set(group, [...(children.get(group) ?? []), child]);
      if (level > 32) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: groups nest deeper than 32 levels`, {});
      walk(child, childBody, level + 1, `${path}.children.${child}`);
    }
  };
  for (const [group, body] of Object.entries(doc)) walk(group, body, 0, group);

  const groups = buildGroups(direct, children, order, file);
  return {
    groups,
    hosts: order.map((name) => {
      const memberOf = [...groups].filter(([, members]) => members.includes(name)).map(([g]) => g);
      // shallower groups first, so the most specific group's vars win, then the host's own
      const ordered = [...memberOf].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : (depth.get(a) ?? 0) - (depth.get(b) ?? 0)));
      let vars: Vars = {};
      for (const g of ordered) vars = { ...vars, ...groupVars.get(g) };
      return hostFromVars(name, { ...vars, ...hostVars.get(name) }, memberOf, file);
    }),
  };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
