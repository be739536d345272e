/**
 * The built command is a bundle (scripts/build-cli.mjs): `validate` and `--help` load a few files
 * from dist/cli/ and not one package from node_modules (the help a fraction of validate's bytes),
 * and the modules inside the bundle still find the files they locate from their own place (the
 * package root, the shipped schema).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, tempDir } from '../support/cli.js';

const work = tempDir('firedrill-bundle-');
afterAll(work.cleanup);

/** Runs the CLI with a module hook that writes down every module it loads; returns those URLs. */
async function loadedModules(args: string[]): Promise<{ exitCode: number; urls: string[] }> {
  const log = join(work.dir, `loaded-${args[0]}.txt`);
  const hooks = join(work.dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`);
  const register = join(work.dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  writeFileSync(log, '');
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import ${register}` } });
  return { exitCode: r.exitCode, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('the bundled firedrill command', () => {
  it('validates a drill loading only its own bundle files, no package from node_modules; --help loads less still', async () => {
    const validate = await loadedModules(['validate', join(repoRoot, 'drills', 'shop-backend-pause.yaml')]);
    expect(validate.exitCode).toBe(0);
    const files = validate.urls.filter((u) => u.startsWith('file:'));
    expect(files).toContain(pathToFileURL(cliPath).href);
    const dir = pathToFileURL(join(repoRoot, 'dist', 'cli')).href;
    // before the bundle: some 350 modules, zod's and yaml's among them
    expect(files.filter((u) => !(u.startsWith(`${dir}/main`) && u.endsWith('.js')))).toEqual([]);
    expect(files.length).toBeLessThan(40);
    // checking a drill needs the schemas (fault-types.ts, target-kinds.ts), not how faults act or targets are found
    const sources = files.flatMap((u) => (JSON.parse(readFileSync(`${fileURLToPath(u)}.map`, 'utf8')) as { sources: string[] }).sources);
    const runtime = sources.filter((s) => /src\/(injectors|targets)\/registry\.ts$|src\/(runner|executors|docker|ssh\/connection|probes)\//.test(s));
    expect(runtime).toEqual([]);
    // nor opens a socket (`${port:NAME}` gets a stand-in), hashes, or spawns: those built-ins are a large part of a start
    expect(validate.urls.filter((u) => /^node:(net|crypto|child_process|dns)$/.test(u))).toEqual([]);
    // the help needs the program, not the schema, the YAML parser or any command
    const help = await loadedModules(['--help']);
    expect(help.exitCode).toBe(0);
    const helpFiles = help.urls.filter((u) => u.startsWith('file:'));
    expect(helpFiles.filter((u) => !(u.startsWith(`${dir}/main`) && u.endsWith('.js')))).toEqual([]);
    const bytes = (urls: string[]) => urls.reduce((sum, u) => sum + statSync(fileURLToPath(u)).size, 0);
    expect(bytes(helpFiles)).toBeLessThan(bytes(files) / 3);
  });

  it('finds the package root and the shipped schema from inside the bundle', async () => {
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
    const out = join(work.dir, 'first.yaml');
    const init = await runCli(['init', '--url', 'http://127.0.0.1:1/', '--fault', 'proxy', '--no-input', '-o', out]);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/# yaml-language-server: \$schema=/);
  });
});
