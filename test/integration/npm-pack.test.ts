/**
 * firedrill installs without a clone: `npm pack` makes a package that installs globally on a clean
 * prefix, and the installed command (run from a folder outside the repository) prints its version,
 * validates the drills it ships, prints its schema and runs a drill against its own example shop.
 * The tarball carries what a user needs (dist, schema, docs, drills, examples) and no sources,
 * tests or source maps.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/cli.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('the npm package', () => {
  const work = tempDir('firedrill-pack-');
  afterAll(work.cleanup);
  const prefix = join(work.dir, 'prefix');
  const home = join(work.dir, 'home');
  const bin = join(prefix, 'bin', 'firedrill');
  const installed = join(prefix, 'lib', 'node_modules', 'firedrill');
  let files: string[] = [];

  /** The installed command, run the way a user's shell does: from a folder of their own. */
  const firedrill = (args: string[], timeoutMs = 60_000) =>
    execa(bin, args, {
      cwd: home,
      reject: false,
      stdin: 'ignore',
      timeout: timeoutMs,
      env: { FIREDRILL_STATE_DIR: join(work.dir, 'state'), PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` },
    });

  beforeAll(async () => {
    await execa('mkdir', ['-p', prefix, home]);
    // dist/ is what `npm test` built (pretest); `prepare` would build it again
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work.dir], { cwd: repoRoot });
    const tarball = join(work.dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
    files = (await execa('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
    await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: home, timeout: 240_000 });
  }, 300_000);

  it('holds what a user needs and no sources, tests or source maps', () => {
    expect(files.every((f) => f.startsWith('package/'))).toBe(true);
    const inside = files.map((f) => f.slice('package/'.length));
    expect(inside).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/cli/main.js',
        'schema/drill.schema.json',
        'docs/drill-format.md',
        'docs/proxy.md',
        'drills/shop-backend-pause.yaml',
        'examples/shop/README.md',
      ]),
    );
    const junk = inside.filter((f) => /^(src|test|scripts|\.ci|node_modules|reports)\//.test(f) || /\.test\.[jt]s$|\.map$|\.tsbuildinfo$/.test(f));
    expect(junk).toEqual([]);
  });

  it('firedrill --version prints the package version', async () => {
    const r = await firedrill(['--version']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout).trim()).toBe(version);
  });

  it('firedrill validate accepts every drill it ships', async () => {
    const drills = readdirSync(join(installed, 'drills')).filter((f) => f.endsWith('.yaml'));
    expect(drills.length).toBeGreaterThan(3);
    const r = await firedrill(['validate', ...drills.map((d) => join(installed, 'drills', d))]);
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
  });

  it('firedrill schema prints the published schema', async () => {
    const r = await firedrill(['schema']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toEqual(JSON.parse(readFileSync(join(repoRoot, 'schema', 'drill.schema.json'), 'utf8')));
  });

  it('runs a drill against its own example shop and writes the report', async () => {
    const reports = join(work.dir, 'reports');
    const r = await firedrill(['run', join(installed, 'drills', 'shop-backend-pause.yaml'), '--env', 'staging', '--yes', '--report-dir', reports, '--log-format', 'json'], 120_000);
    expect(r.exitCode, String(r.stderr).slice(-2000)).toBe(0);
    const runs = readdirSync(join(reports, 'shop-backend-pause')).filter((d) => d !== 'latest');
    expect(readdirSync(join(reports, 'shop-backend-pause', runs[0]!))).toEqual(expect.arrayContaining(['journal.json', 'report.md', 'report.html', 'junit.xml']));
  }, 150_000);
});
