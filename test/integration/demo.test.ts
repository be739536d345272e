/** The README's main job: `npm run demo` on a fresh checkout runs a drill and says where the AAR is. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

describe('npm run demo', () => {
  it('runs the pause drill against the example shop, exits 0 and points at the report', async () => {
    const r = await execa(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], { cwd: repoRoot, reject: false, stdin: 'ignore', timeout: 120_000 });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/Demo finished: (the hypothesis held|the hypothesis was violated)/);
    const report = join(repoRoot, 'reports', 'shop-backend-pause', 'latest', 'report.md');
    expect(r.stdout).toContain(join('reports', 'shop-backend-pause', 'latest', 'report.md'));
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('After-Action Review: shop-backend-pause');
  });
});
