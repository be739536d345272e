/** Reads an Ansible inventory file, INI or YAML (by extension, else by content). */
import { readFileSync } from 'node:fs';
import { FiredrillError } from '../errors.js';
import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml } from './ansible-yaml.js';
import type { Inventory } from './inventory.js';

export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FiredrillError('FD_INVENTORY_INVALID', `cannot read the inventory ${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  const yamlLike = /\.ya?ml$/i.test(file) || (!/\.(ini|cfg|hosts)$/i.test(file) && /^\s*[A-Za-z0-9_-]+:\s*$/m.test(text) && !/^\s*\[/m.test(text));
  return yamlLike ? parseAnsibleYaml(text, file) : parseAnsibleIni(text, file);
}
