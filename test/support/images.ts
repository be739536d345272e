/**
 * Container images for tests, built locally from this machine's binaries with `docker import`
 * (nothing can be pulled here; see ../shared/ENVIRONMENT.md): the binary plus the libraries `ldd`
 * lists, and app files. An image is rebuilt only when its inputs changed (a label holds their
 * hash). Also: the suite guard for Docker, and label-based cleanup as the safety net.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { repoRoot } from './cli.js';
import { hasCommand, missing } from './components.js';

// testcontainers' reaper image cannot be pulled here; every suite removes its containers itself
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

export const IMAGES = {
  redis: 'local/firedrill-redis:test',
  /** node + the example shop and cart under /app (a package.json with type: module) */
  shop: 'local/firedrill-shop:test',
  /** busybox as /bin/sh; entrypoint `sh -c` */
  sleeper: 'local/firedrill-sleeper:test',
  /** stress-ng as the entrypoint (what container-stress's `image:` needs) */
  stress: 'local/firedrill-stress-ng:test',
} as const;

/** Every container a test starts carries this label, so `removeTestContainers` finds leftovers. */
export const TEST_LABEL = 'io.firedrill.test';
const BUILD_LABEL = 'io.firedrill.build';
const DOCKER_TIMEOUT_MS = 120_000;

/**
 * The reason to skip a Docker suite, or undefined when the docker CLI is there and the engine
 * answers. In CI (`CI=true`) either being absent fails instead (via `missing`, or here).
 */
export function dockerMissing(extraCommands: string[] = []): string | undefined {
  const absent = missing({ commands: ['docker', 'tar', ...extraCommands] });
  if (absent) return absent;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 15_000 });
    return undefined;
  } catch {
    const reason = 'no Docker engine answers (start dockerd)';
    if (process.env.CI) throw new Error(`required in CI: ${reason} (.ci/run must start it)`);
    console.warn(`skipping: ${reason}`);
    return reason;
  }
}

/** Removes every container with the test label (and `value`, when given), running or not. */
export function removeTestContainers(value?: string): Promise<void> {
  return removeContainersByLabel(value === undefined ? TEST_LABEL : `${TEST_LABEL}=${value}`);
}

/** Removes every container carrying `label` (`key` or `key=value`), paused, running or not. */
export async function removeContainersByLabel(label: string): Promise<void> {
  const ids = (await execa('docker', ['ps', '-aq', '--filter', `label=${label}`], { timeout: DOCKER_TIMEOUT_MS })).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return;
  // unpause first: a paused container must not survive even if removal fails; ignore the ones not paused
  await execa('docker', ['unpause', ...ids], { reject: false, timeout: DOCKER_TIMEOUT_MS });
  await execa('docker', ['rm', '-f', '-v', ...ids], { reject: false, timeout: DOCKER_TIMEOUT_MS });
}

export interface TestContainerSpec {
  image: string;
  /** the value of the test label: one per suite run, so cleanup by label finds exactly its containers */
  run: string;
  /** also a label (`role=<role>`), for selectors */
  role: string;
  name: string;
  command?: string[];
  env?: Record<string, string>;
  /** a log line that says the container is ready (these images have no shell for port checks) */
  ready: RegExp;
  ports?: (number | { container: number; host: number })[];
  networkMode?: string;
  /** limits: memory in GiB, CPUs */
  memoryGiB?: number;
  cpus?: number;
}

/** Starts a container with testcontainers, labelled for cleanup; the caller removes it (by label). */
export function startTestContainer(spec: TestContainerSpec): Promise<StartedTestContainer> {
  let c = new GenericContainer(spec.image)
    .withName(spec.name)
    .withLabels({ [TEST_LABEL]: spec.run, role: spec.role })
    .withWaitStrategy(Wait.forLogMessage(spec.ready))
    .withStartupTimeout(30_000);
  if (spec.command) c = c.withCommand(spec.command);
  if (spec.env) c = c.withEnvironment(spec.env);
  if (spec.ports) c = c.withExposedPorts(...spec.ports);
  if (spec.networkMode) c = c.withNetworkMode(spec.networkMode);
  if (spec.memoryGiB !== undefined || spec.cpus !== undefined) {
    c = c.withResourcesQuota({ ...(spec.memoryGiB !== undefined ? { memory: spec.memoryGiB } : {}), ...(spec.cpus !== undefined ? { cpu: spec.cpus } : {}) });
  }
  return c.start();
}

interface ImageInput {
  /** host file → path in the image (libraries are added automatically for `withLibs`) */
  files: { from: string; to: string; withLibs?: boolean }[];
  dirs?: { from: string; to: string }[];
  write?: { to: string; content: string }[];
  links?: { to: string; target: string }[];
  changes: string[];
}

/** Redis from Debian's redis-server, listening on all interfaces of its container. */
export function buildRedisImage(): Promise<string> {
  const server = which('redis-server');
  return buildImage(IMAGES.redis, {
    files: [{ from: server, to: '/usr/bin/redis-server', withLibs: true }],
    write: [{ to: '/data/.keep', content: '' }],
    changes: ['WORKDIR /data', 'ENTRYPOINT ["/usr/bin/redis-server"]', 'CMD ["--bind", "0.0.0.0", "--protected-mode", "no", "--save", ""]'],
  });
}

/** busybox (static) as /bin/sh; the command is a shell line. */
export function buildSleeperImage(): Promise<string> {
  const busybox = which('busybox');
  return buildImage(IMAGES.sleeper, {
    files: [{ from: busybox, to: '/bin/busybox', withLibs: true }],
    links: ['sh', 'sleep', 'echo', 'cat', 'ls'].map((name) => ({ to: `/bin/${name}`, target: 'busybox' })),
    changes: ['ENTRYPOINT ["/bin/sh", "-c"]'],
  });
}

/** stress-ng as the entrypoint. */
export function buildStressImage(): Promise<string> {
  return buildImage(IMAGES.stress, {
    files: [{ from: which('stress-ng'), to: '/usr/bin/stress-ng', withLibs: true }],
    write: [{ to: '/tmp/.keep', content: '' }],
    changes: ['WORKDIR /tmp', 'ENTRYPOINT ["/usr/bin/stress-ng"]'],
  });
}

/** node plus the example shop (api, backend) and the cart, with prom-client and its dependencies. */
export function buildShopImage(): Promise<string> {
  const modules = moduleClosure('prom-client');
  return buildImage(IMAGES.shop, {
    files: [{ from: process.execPath, to: '/usr/local/bin/node', withLibs: true }],
    dirs: [
      { from: join(repoRoot, 'examples/shop'), to: '/app/examples/shop' },
      { from: join(repoRoot, 'examples/compose'), to: '/app/examples/compose' },
      ...modules.map((m) => ({ from: join(repoRoot, 'node_modules', m), to: `/app/node_modules/${m}` })),
    ],
    write: [{ to: '/app/package.json', content: '{ "type": "module", "private": true }\n' }],
    changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'WORKDIR /app', 'ENTRYPOINT ["node"]'],
  });
}

/** `name` and every package it depends on, as found in the repository's node_modules. */
function moduleClosure(name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [...seen];
  seen.add(name);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) moduleClosure(dep, seen);
  return [...seen];
}

function which(command: string): string {
  if (!hasCommand(command)) throw new Error(`${command} is not installed (.ci/run installs it)`);
  return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
}

/** The shared libraries `ldd` lists for `binary` (none for a static binary). */
function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return []; // "not a dynamic executable"
  }
  return [...out.matchAll(/(\/[^\s)]+)\s+\(0x/g)].map((m) => m[1] as string);
}

/** Builds `tag` from `input` unless an image with the same inputs exists; returns the tag. */
async function buildImage(tag: string, input: ImageInput): Promise<string> {
  const files = input.files.flatMap((f) => [f, ...(f.withLibs ? sharedLibraries(f.from).map((lib) => ({ from: lib, to: lib })) : [])]);
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.from}>${f.to}:${statSync(f.from).size}:${statSync(f.from).mtimeMs}\n`);
  for (const d of input.dirs ?? []) for (const f of listFiles(d.from)) hash.update(`${f}:${readFileSync(f).length}:${statSync(f).mtimeMs}\n`);
  for (const w of input.write ?? []) hash.update(`${w.to}=${w.content}\n`);
  for (const l of input.links ?? []) hash.update(`${l.to}->${l.target}\n`);
  hash.update(input.changes.join('\n'));
  const digest = hash.digest('hex').slice(0, 16);

  const existing = await execa('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${BUILD_LABEL}"}}`, tag], { reject: false, timeout: DOCKER_TIMEOUT_MS });
  if (existing.exitCode === 0 && existing.stdout.trim() === digest) return tag;

  const root = mkdtempSync(join(tmpdir(), 'firedrill-image-'));
  try {
    for (const f of files) {
      mkdirSync(join(root, dirname(f.to)), { recursive: true });
      cpSync(f.from, join(root, f.to), { dereference: true });
    }
    for (const d of input.dirs ?? []) cpSync(d.from, join(root, d.to), { recursive: true, dereference: true });
    for (const w of input.write ?? []) {
      mkdirSync(join(root, dirname(w.to)), { recursive: true });
      writeFileSync(join(root, w.to), w.content);
    }
    for (const l of input.links ?? []) {
      mkdirSync(join(root, dirname(l.to)), { recursive: true });
      if (!existsSync(join(root, l.to))) symlinkSync(l.target, join(root, l.to));
    }
    const changes = [...input.changes, `LABEL ${BUILD_LABEL}=${digest}`].flatMap((c) => ['--change', c]);
    const archive = `${root}.tar`;
    try {
      await execa('tar', ['-C', root, '-cf', archive, '.'], { timeout: DOCKER_TIMEOUT_MS });
      await execa('docker', ['import', ...changes, '-', tag], { inputFile: archive, timeout: DOCKER_TIMEOUT_MS });
    } finally {
      rmSync(archive, { force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tag;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
