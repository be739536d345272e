import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/check-layers.mjs');
const run = promisify(execFile);

async function check(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const root = await mkdtemp(join(tmpdir(), 'fd-layers-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [script, '--root', root]);
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('check-layers (npm run lint)', () => {
  it('passes folders that import each other one way', async () => {
    const r = await check({
      'runner/run.ts': "import { a } from '../journal/types.js';\nimport type { C } from '../clock/clock.js';\n",
      'journal/types.ts': "export const a = 1;\n",
      'clock/clock.ts': "import { a } from '../journal/types.js';\n",
    });
    expect(r).toMatchObject({ code: 0 });
  });

  it('fails on a cycle through three folders, naming every edge and the file that makes it', async () => {
    const r = await check({
      'a/one.ts': "import { b } from '../b/two.js';\n",
      'b/two.ts': "export { c } from '../c/three.js';\n",
      'c/three.ts': "import type { A } from '../a/deep/one.js';\n",
      'a/deep/one.ts': 'export type A = 1;\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('cycle among: a, b, c');
    expect(r.out).toContain('c -> a: c/three.ts imports ../a/deep/one.js');
  });

  it('counts dynamic imports, and ignores test files and imports inside one folder', async () => {
    expect((await check({ 'a/x.ts': "const m = await import('../b/y.js');\n", 'b/y.ts': 'export const y = 1;\n' })).code).toBe(0);
    expect((await check({ 'a/x.ts': "const m = await import('../b/y.js');\n", 'b/y.ts': "import '../a/x.js';\n" })).code).toBe(1);
    expect((await check({ 'a/x.ts': "import { y } from '../b/y.js';\n", 'b/y.ts': 'export const y = 1;\n', 'b/y.test.ts': "import { x } from '../a/x.js';\n", 'a/z.ts': "import { x } from './x.js';\n" })).code).toBe(0);
  });
});
