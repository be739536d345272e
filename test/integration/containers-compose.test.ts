/**
 * The container game day a user tries: examples/compose brought up with Debian's docker-compose
 * (v1), then the compose drills run against it through the CLI. Images are the ones built here
 * from host binaries; ports are free ones; the project name is this run's own, and the stack is
 * taken down (and removed by its compose label as a safety net) afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { repoRoot, runCli, tempDir } from '../support/cli.js';
import { buildRedisImage, buildShopImage, dockerMissing, IMAGES, removeContainersByLabel } from '../support/images.js';
import { freeLoopbackPort } from '../../src/drill/variables.js';

const skip = dockerMissing(['docker-compose', 'redis-server']);
const project = `fdcompose${process.pid}${Date.now().toString(36)}`;
const composeFile = join(repoRoot, 'examples/compose/docker-compose.yml');
const out = tempDir('firedrill-compose-');
/** each drill runs about 30 s of phases by design; leave room on a slow machine */
const DRILL_TIMEOUT_MS = 120_000;
const env: Record<string, string> = { COMPOSE_PROJECT_NAME: project, NODE_IMAGE: IMAGES.shop, REDIS_IMAGE: IMAGES.redis };

function compose(args: string[]) {
  return execa('docker-compose', ['-f', composeFile, ...args], { env, timeout: 120_000, reject: false });
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

function journalOf(stderr: string): Journal<Sample[]> {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

async function containerState(service: string): Promise<{ Running: boolean; Paused: boolean; StartedAt: string }> {
  const r = await execa('docker', ['inspect', '--format', '{{json .State}}', `${project}_${service}_1`]);
  return JSON.parse(r.stdout) as { Running: boolean; Paused: boolean; StartedAt: string };
}

describe.skipIf(skip)('examples/compose: a container game day on the compose stack', () => {
  afterAll(async () => {
    await compose(['down', '-v', '-t', '1']);
    await removeContainersByLabel(`com.docker.compose.project=${project}`);
    out.cleanup();
  });

  beforeAll(async () => {
    await Promise.all([buildShopImage(), buildRedisImage()]);
    for (const name of ['SHOP_API_PORT', 'SHOP_BACKEND_PORT', 'CART_PORT', 'REDIS_PORT']) env[name] = String(await freeLoopbackPort());
    const up = await compose(['up', '-d']);
    expect(up.exitCode, up.stderr).toBe(0);
    // bounded: the stack is up when the cart reaches redis and the api reaches the backend
    for (let i = 0; i < 100; i++) {
      if ((await answers(`http://127.0.0.1:${env.CART_PORT}/health`)) && (await answers(`http://127.0.0.1:${env.SHOP_API_PORT}/products`))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the compose stack did not come up:\n${(await compose(['logs', '--no-color'])).stdout}`);
  });

  it('compose-redis-pause: the cart fails fast while redis is frozen and the product list does not notice: exit 0', async () => {
    const r = await runCli(['run', 'drills/compose-redis-pause.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir], { env });
    const journal = journalOf(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(journal.targets[0]?.instances.map((i) => i.id)).toEqual([`${project}_redis_1`]);
    expect(journal.faults[0]).toMatchObject({ type: 'container-pause', status: 'reverted' });
    // the pause was real: the cart said so during the fault
    expect(journal.samples.some((s) => s.probe === 'cart' && s.phase === 'fault' && s.status === 503)).toBe(true);
    expect((await containerState('redis')).Paused).toBe(false);
    expect(await answers(`http://127.0.0.1:${env.CART_PORT}/health`)).toBe(true);
  }, DRILL_TIMEOUT_MS);

  it('compose-backend-restart: products served from the stale cache, checkout back within 10 s: exit 0', async () => {
    const before = await containerState('backend');
    const r = await runCli(['run', 'drills/compose-backend-restart.yaml', '--env', 'staging', '--yes', '--report-dir', out.dir], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(journalOf(r.stderr).faults[0]).toMatchObject({ type: 'container-restart', status: 'reverted' });
    const after = await containerState('backend');
    expect(after.Running).toBe(true);
    expect(after.StartedAt).not.toBe(before.StartedAt);
  }, DRILL_TIMEOUT_MS);
});
