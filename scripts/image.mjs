#!/usr/bin/env node
/**
 * Builds the runner image (Dockerfile) without an npm registry inside the build: packs firedrill
 * (dist/ must be built), installs the package with its production dependencies into a global
 * prefix in a build context, and runs `docker build` on that context.
 *
 *   node scripts/image.mjs [--base <image>] [--tag <name:tag>]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { values } = parseArgs({ options: { base: { type: 'string' }, tag: { type: 'string', default: `firedrill:${version}` } } });

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is not built: run `npm run build` first');
  process.exit(2);
}
const context = mkdtempSync(join(tmpdir(), 'firedrill-image-'));
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', context]));
  const tarball = join(context, packed[0].filename);
  const prefix = join(context, 'prefix');
  mkdirSync(prefix);
  run('npm', ['install', '--global', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', tarball], context);
  rmSync(tarball);
  copyFileSync(join(root, 'Dockerfile'), join(context, 'Dockerfile'));
  execFileSync('docker', ['build', '--tag', values.tag, ...(values.base ? ['--build-arg', `BASE=${values.base}`] : []), context], { stdio: 'inherit' });
  console.log(`built ${values.tag}`);
} finally {
  rmSync(context, { recursive: true, force: true });
}
