/**
 * Ansible's INI inventory: `[group]` host lines with `key=value` variables, `[group:vars]`,
 * `[group:children]`, host ranges (`web[1:3]`), ungrouped hosts before the first section, `#`
 * and `;` comments. Passwords in it (ansible_password, ansible_ssh_pass) are never read.
 */
import { FiredrillError } from '../errors.js';
import { buildGroups, expandHostPattern, hostFromVars, type Inventory, type Vars } from './inventory.js';

export function parseAnsibleIni(text: string, file = 'inventory'): Inventory {
  const hostVars = new Map<string, Vars>();
  const order: string[] = [];
  const direct = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const groupVars = new Map<string, Vars>();
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };

  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+[#;].*$/, '').trim();
    const where = `${file}:${i + 1}`;
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = { group: header[1] as string, kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      if (section.kind === 'hosts' && !direct.has(section.group)) direct.set(section.group, []);
      return;
    }
    if (line.startsWith('[')) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: cannot read the section header ${line}`, { line: i + 1 });
    if (section.kind === 'children') {
      children.set(section.group, [...(children.get(section.group) ?? []), line]);
      return;
    }
    const tokens = splitTokens(line);
    if (section.kind === 'vars') {
      const [k, v] = keyValue(line, where);
      groupVars.set(section.group, { ...groupVars.get(section.group), [k]: v });
      return;
    }
    const [pattern, ...assignments] = tokens;
    const vars: Vars = {};
    for (const a of assignments) {
      const [k, v] = keyValue(a, where);
      vars[k] = v;
    }
    for (const name of expandHostPattern(pattern as string)) {
      if (!hostVars.has(name)) order.push(name);
      hostVars.set(name, { ...hostVars.get(name), ...vars });
      const list = direct.get(section.group) ?? [];
      if (!list.includes(name)) list.push(name);
      direct.set(section.group, list);
    }
  });

  for (const [group, kids] of children) {
    for (const kid of kids) if (!direct.has(kid) && !children.has(kid)) throw new FiredrillError('FD_INVENTORY_INVALID', `${file}: group ${group} names a child group ${kid} that is not defined`, { group: kid });
  }
  const groups = buildGroups(direct, children, order, file);
  return {
    groups,
    hosts: order.map((name) => {
      const memberOf = [...groups].filter(([, members]) => members.includes(name)).map(([g]) => g);
      return hostFromVars(name, mergeVars(name, memberOf, groups, groupVars, hostVars.get(name) ?? {}), memberOf, file);
    }),
  };
}

/** all vars < bigger groups' vars < smaller (more specific) groups' vars < host vars. */
function mergeVars(name: string, memberOf: string[], groups: Map<string, string[]>, groupVars: Map<string, Vars>, own: Vars): Vars {
  const bySize = [...memberOf].sort((a, b) => (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0) || (a === 'all' ? -1 : b === 'all' ? 1 : 0));
  let vars: Vars = {};
  for (const g of bySize) vars = { ...vars, ...groupVars.get(g) };
  void name;
  return { ...vars, ...own };
}

function splitTokens(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0]);
}

function keyValue(token: string, where: string): [string, string] {
  const i = token.indexOf('=');
  if (i <= 0) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: expected key=value, got "${token}"`, {});
  return [token.slice(0, i).trim(), token.slice(i + 1).trim().replace(/^(["'])(.*)\1$/, '$2')];
}
