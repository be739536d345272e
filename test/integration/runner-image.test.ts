/**
 * The runner image (Dockerfile, built by scripts/image.mjs) builds here without a container
 * registry, on a base made from Debian packages (debootstrap + docker import), and the image runs:
 * Node 20, the fault tools, `firedrill --version`, `validate` of its shipped drills and a drill
 * against its own example shop, inside the container. The image and the base are removed after.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { missing } from '../support/components.js';
import { dockerMissing, TEST_LABEL } from '../support/images.js';

const skip = dockerMissing(['debootstrap']) ?? missing({ root: true });
const id = `${process.pid}-${Date.now().toString(36)}`;
const base = `local/firedrill-test-base:${id}`;
const image = `local/firedrill-test-runner:${id}`;
const installed = '/usr/local/lib/node_modules/firedrill';

describe.skipIf(skip)('the runner image', () => {
  const root = mkdtempSync(join(tmpdir(), 'firedrill-base-'));
  const inImage = (args: string[], options: { entrypoint?: string; caps?: string[]; timeoutMs?: number } = {}) =>
    execa('docker', ['run', '--rm', '--label', TEST_LABEL, ...(options.caps ?? []).map((c) => `--cap-add=${c}`), ...(options.entrypoint ? ['--entrypoint', options.entrypoint] : []), image, ...args], { reject: false, stdin: 'ignore', timeout: options.timeoutMs ?? 60_000 });

  /** debootstrap mounts /proc and /sys inside the root while it works: never delete through a mount */
  const removeRoot = async () => {
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m === root || m.startsWith(`${root}/`));
    for (const m of mounts.sort().reverse()) await execa('umount', ['-l', m], { reject: false });
    if (readFileSync('/proc/self/mounts', 'utf8').includes(` ${root}`)) throw new Error(`${root} still has mounts; not deleting it`);
    rmSync(root, { recursive: true, force: true });
  };

  afterAll(async () => {
    await removeRoot();
    await execa('docker', ['rmi', '-f', image, base], { reject: false, timeout: 60_000 });
  });

  beforeAll(async () => {
    // the base, from Debian packages only: Debian 13 minbase (its nodejs is Node 20)
    await execa('debootstrap', ['--variant=minbase', 'trixie', root, 'http://deb.debian.org/debian'], { timeout: 900_000 });
    await execa('sh', ['-c', `tar -C "$1" -c . | docker import - "$2"`, 'sh', root, base], { timeout: 300_000 });
    await removeRoot();
    await execa('node', ['scripts/image.mjs', '--base', base, '--tag', image], { cwd: repoRoot, timeout: 900_000 });
  }, 1_500_000);

  it('has Node 20 and the tools faults need, from Debian packages', async () => {
    const r = await inImage(['-c', 'node --version && nft --version && stress-ng --version && ip -V && tc -V && pgrep -V && ssh -V 2>&1'], { entrypoint: 'sh' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toMatch(/^v2\d\./m);
    expect(String(r.stdout)).toMatch(/nftables v1/);
    expect(String(r.stdout)).toMatch(/stress-ng, version/);
  });

  it('runs firedrill: --version, validate of the drills it ships', async () => {
    const version = await inImage(['--version']);
    expect(version.exitCode).toBe(0);
    expect(String(version.stdout).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const validate = await inImage(['-c', `firedrill validate ${installed}/drills/*.yaml`], { entrypoint: 'sh' });
    expect(validate.exitCode, String(validate.stdout) + String(validate.stderr)).toBe(0);
  });

  it('runs a drill against its own example shop inside the container, and it reverts', async () => {
    const r = await inImage(['-c', `firedrill run ${installed}/drills/shop-backend-pause.yaml --env staging --yes --log-format json && ls reports/shop-backend-pause/latest/ && firedrill recover`], { entrypoint: 'sh', timeoutMs: 180_000 });
    expect(r.exitCode, String(r.stderr).slice(-2000)).toBe(0);
    expect(String(r.stdout)).toMatch(/journal\.json/);
    expect(String(r.stdout)).toMatch(/report\.html/);
    expect(String(r.stdout)).toMatch(/nothing to recover/);
  }, 200_000);
});
