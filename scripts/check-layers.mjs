#!/usr/bin/env node
/**
 * Fails when two folders of src/ import each other, directly or around a loop (a folder-level
 * import cycle). Type-only imports count too: a cycle in types is a cycle in the design.
 * A folder is the first level under src/ (`runner`, `journal`, ...), except that the plugin
 * families (injectors, probes, targets, reporters) count each of their sub-folders as its own
 * folder, so `targets/proxy` and `injectors/proxy` are separate nodes.
 * Usage: node scripts/check-layers.mjs [--graph]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const FAMILIES = new Set([]);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** The folder node a file belongs to, e.g. `runner`, `injectors/proxy`, `(root)`. */
export function folderOf(file) {
  const parts = relative(root, file).split(sep);
  if (parts.length === 1) return '(root)';
  if (FAMILIES.has(parts[0]) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** folder -> folder -> one example "file -> import" that makes the edge */
const edges = new Map();
for (const file of sourceFiles(root)) {
  const text = readFileSync(file, 'utf8');
  const from = folderOf(file);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(root + sep)) continue;
    const to = folderOf(target);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, `${relative(root, file)} imports ${spec}`);
  }
}

if (process.argv.includes('--graph')) {
  for (const [from, out] of [...edges].sort()) console.log(`${from} -> ${[...out.keys()].sort().join(', ')}`);
}

// Tarjan's strongly connected components: every component with more than one folder is a cycle.
let index = 0;
const stack = [];
const info = new Map();
const components = [];
function connect(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!info.has(w)) {
      connect(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) {
      info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  }
}
for (const v of edges.keys()) if (!info.has(v)) connect(v);

if (components.length === 0) {
  console.log(`check-layers: no folder-level import cycle in src/ (${edges.size} folders with imports)`);
} else {
  console.error('check-layers: folder-level import cycles in src/ (folders must import each other one way only):');
  for (const component of components) {
    const members = new Set(component);
    console.error(`  cycle among: ${component.join(', ')}`);
    for (const from of component) {
      for (const [to, why] of edges.get(from) ?? []) if (members.has(to)) console.error(`    ${from} -> ${to}: ${why}`);
    }
  }
  process.exitCode = 1;
}
