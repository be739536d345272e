/**
 * `npm run bench -- <suite>` runs test/bench/<suite>.ts, whose default export prints
 * `FIGURE <name> <value> <unit>` lines. Without a suite name it lists the suites.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
if (wanted.length === 0) {
  console.log(`suites: ${suites.join(', ')}\nusage: npm run bench -- <suite>`);
} else {
  for (const name of wanted) {
    if (!suites.includes(name)) {
      console.error(`unknown bench suite "${name}"; suites: ${suites.join(', ')}`);
      process.exitCode = 2;
      break;
    }
    const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: () => Promise<void> };
    await mod.default();
  }
}
