#!/usr/bin/env node
/**
 * Fails when two folders of src/ import each other, directly or around a loop (a folder-level
 * import cycle). Type-only imports count too: a cycle in types is a cycle in the design.
 * A folder is the first level under src/ (`runner`, `journal`, `targets`, ...): `ls src/` is the
 * map of the layers, so a cycle between two of its entries is a cycle in the architecture.
 *
 * KNOWN_EDGES lists the few imports that still close a cycle, each with the change that removes
 * it. They are ignored when looking for cycles, and an entry that no longer exists fails the
 * check, so the list only shrinks. Any new cycle fails `npm run lint`.
 *
 * Usage: node scripts/check-layers.mjs [--graph] [--root DIR]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? resolve(process.argv[rootArg + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** `from -> to`: why the edge is still there and what removes it. Empty: every folder-level cycle is gone. */
const KNOWN_EDGES = new Map();

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
  return parts.length === 1 ? '(root)' : parts[0];
}

// `import x from '...'`, `export { x } from '...'`, `import '...'` and `import('...')`
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** folder -> folder -> one example "file -> import" that makes the edge */
const edges = new Map();
for (const file of sourceFiles(root)) {
  const text = readFileSync(file, 'utf8');
  const from = folderOf(file);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
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
const stale = [...KNOWN_EDGES.keys()].filter((edge) => {
  const [from, to] = edge.split(' -> ');
  return !edges.get(from)?.has(to);
});
for (const edge of KNOWN_EDGES.keys()) {
  const [from, to] = edge.split(' -> ');
  edges.get(from)?.delete(to);
}
for (const v of edges.keys()) if (!info.has(v)) connect(v);

if (stale.length > 0) {
  console.error(`check-layers: known cycle edges that no longer exist; remove them from KNOWN_EDGES in scripts/check-layers.mjs: ${stale.join(', ')}`);
  process.exitCode = 1;
}
if (components.length === 0) {
  const known = KNOWN_EDGES.size > 0 ? `; ${KNOWN_EDGES.size} known edge(s) still to remove: ${[...KNOWN_EDGES.keys()].join(', ')}` : '';
  console.log(`check-layers: no new folder-level import cycle in src/ (${edges.size} folders with imports${known})`);
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
