#!/usr/bin/env node
/**
 * Bundles the `firedrill` command (src/cli/main.ts) into dist/cli/main.js with esbuild, after
 * `tsc` has built dist/: one entry file plus chunks that the commands import lazily, all in
 * dist/cli/ (`main-*.js`). Loading some 350 small ES modules cost more than half of what
 * `firedrill validate` took to start; a bundle is a handful of files.
 *
 * - Only the packages on the fast path are bundled (BUNDLED); every other dependency stays an
 *   external import from node_modules (native modules, worker-thread transports, anything that
 *   finds files next to itself), loaded only by the command that needs it.
 * - The rest of dist/ stays as tsc wrote it: the other process entries (the dead-man switch
 *   dist/cli/watchdog-main.js, the proxy host) run from there, and every bundled module sees its
 *   `import.meta.url` as the file tsc wrote for it, so paths it builds from its own location
 *   (the package root, the watchdog entry, the proxy host, the schema) resolve as before.
 * - dist/cli/main.js.map maps stack frames back to src/ (`NODE_OPTIONS=--enable-source-maps`).
 * - What `validate` loads is kept small (test/bench/startup.ts measures it): whitespace and syntax
 *   are minified (names are kept), `yaml` is bundled from its ES-module build so unused parts are
 *   dropped, and commander's eager `require('node:child_process')` becomes a require on first use.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const outdir = join(root, 'dist', 'cli');

/** Pure-JS packages the CLI needs to start, parse arguments and validate a drill. */
const BUNDLED = new Set(['commander', 'zod', 'yaml', 'leven']);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare imports outside BUNDLED stay imports of node_modules. */
const externals = {
  name: 'firedrill-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || BUNDLED.has(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * A module's `import.meta.url` becomes the URL of the file tsc wrote for it (dist/<same path>.js),
 * computed from the chunk it lands in: every output file is in dist/cli/, so one relative path works.
 */
const ownLocation = {
  name: 'firedrill-own-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(src + '/')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const built = join(root, 'dist', relative(src, args.path)).replace(/\.ts$/, '.js');
      // the paths such a module builds point into the tree tsc wrote; without its file there they point nowhere
      if (!existsSync(built)) return { errors: [{ text: `${built} is missing: run tsc -p tsconfig.build.json first` }] };
      const asBuilt = relative(outdir, built).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/**
 * `yaml` as its ES-module build (the one its `exports` give browsers), so esbuild keeps only what
 * the CLI uses (parseDocument, LineCounter, parse, stringify...) instead of the whole CommonJS
 * package. The two builds are the same code; the one difference that shows is how `parse` reports a
 * warning, and that stays Node's (`process.emitWarning`, as the CommonJS build does).
 */
const yamlAsModule = {
  name: 'firedrill-yaml-as-module',
  setup(build) {
    const yamlDir = dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
    const entry = join(yamlDir, 'browser', 'dist', 'index.js');
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
    build.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const patched = text.replace('console.warn(warning);', "if (typeof process.emitWarning === 'function') process.emitWarning(warning);\n        else console.warn(warning);");
      if (patched === text) return { errors: [{ text: `${args.path} changed: its warn() no longer calls console.warn(warning)` }] };
      return { contents: patched, loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables (firedrill has none); child_process brings net, dgram, streams and cluster with it.
 * The bundled copy requires it on the first spawn instead.
 */
const commanderLazySpawn = {
  name: 'firedrill-commander-lazy-spawn',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      const uses = text.match(/childProcess\.\w+/g) ?? [];
      if (!text.includes(eager) || uses.some((u) => u !== 'childProcess.spawn')) {
        return { errors: [{ text: `${args.path} changed: expected one eager require of node:child_process, used only for spawn` }] };
      }
      return { contents: text.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), loader: 'js' };
    });
  },
};

// tsc wrote dist/cli/main.js (and a previous build its chunks): the bundle replaces them
for (const name of readdirSync(outdir)) {
  if (/^main(-.+)?\.js(\.map)?$/.test(name)) rmSync(join(outdir, name));
}

await esbuild.build({
  entryPoints: { main: join(src, 'cli', 'main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'main-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // fewer bytes to read and compile; identifiers keep their names, so stack traces still name functions
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [yamlAsModule, commanderLazySpawn, externals, ownLocation],
  // bundled CommonJS packages (commander) `require()` Node's built-ins
  banner: { js: "import { createRequire as __firedrillCreateRequire } from 'node:module';\nconst require = __firedrillCreateRequire(import.meta.url);" },
});
