/**
 * `npm run bench -- <suite>` runs test/bench/<suite>.ts, whose default export prints
 * `FIGURE <name> <value> <unit>` lines; `all` runs every suite in turn (a suite that fails is
 * reported and the others still run). Without a suite name it lists the suites.
 * test/bench/README.md says what each suite measures, how, and against which reference.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const args = process.argv.slice(2);
const wanted = args.includes('all') ? suites : args;
if (wanted.length === 0) {
  console.log(`suites: ${suites.join(', ')}\nusage: npm run bench -- <suite>... | all`);
} else {
  const unknown = wanted.filter((name) => !suites.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown bench suite "${unknown.join('", "')}"; suites: ${suites.join(', ')}, all`);
    process.exitCode = 2;
  } else {
    const started = performance.now();
    for (const name of wanted) {
      const t0 = performance.now();
      console.log(`== ${name}`);
      try {
        const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: () => Promise<void> };
        await mod.default();
      } catch (e) {
        // one broken suite must not hide the others' figures; the exit code still says it failed
        console.error(`bench suite ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exitCode = 1;
      }
      console.log(`== ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (wanted.length > 1) console.log(`== all suites took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
