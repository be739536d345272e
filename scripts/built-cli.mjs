// The repository root and the built CLI for the demo scripts; says how to build it when it is not.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('firedrill is not built yet: run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
