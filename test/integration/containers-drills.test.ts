/**
 * Real drills on containers, through the built CLI: redis paused under the example cart until the
 * kill switch trips; one of three replicas killed by label with count 1; a container stopped and
 * started again; `plan` naming the containers it would hit. Containers come from images built here
 * (docker import) and testcontainers; all carry this run's label and are removed by it afterwards.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { repoRoot, runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { buildRedisImage, buildSleeperImage, dockerMissing, IMAGES, removeTestContainers, startTestContainer, TEST_LABEL } from '../support/images.js';
import { freeLoopbackPort } from '../../src/drill/variables.js';

const skip = dockerMissing(['redis-server', 'busybox']);
const RUN = `drills-${process.pid}-${Date.now().toString(36)}`;
const out = tempDir('firedrill-container-drills-');

interface Inspected {
  Id: string;
  Name: string;
  State: { Running: boolean; Paused: boolean; StartedAt: string };
}

async function inspect(nameOrId: string): Promise<Inspected> {
  const r = await execa('docker', ['inspect', nameOrId]);
  return (JSON.parse(r.stdout) as Inspected[])[0] as Inspected;
}

function journalOf(stderr: string): Journal<Sample[]> {
  const m = /journal: (.+journal\.json)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
  return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
}

function drillFile(name: string, yaml: string): string {
  const file = join(out.dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Redis answers PING on 127.0.0.1:port within a second. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.on('error', () => done(false));
  });
}

const label = (role: string): string => `["${TEST_LABEL}=${RUN}", "role=${role}"]`;

describe.skipIf(skip)('container drills through the CLI', () => {
  let redisPort = 0;
  let stopPort = 0;

  afterAll(async () => {
    await removeTestContainers(RUN);
    out.cleanup();
  });

  beforeAll(async () => {
    await Promise.all([buildRedisImage(), buildSleeperImage()]);
    stopPort = await freeLoopbackPort();
    const redisReady = /Ready to accept connections/;
    const [redis] = await Promise.all([
      startTestContainer({ image: IMAGES.redis, run: RUN, role: 'redis', name: `fd-${RUN}-redis`, ready: redisReady, ports: [6379] }),
      // a fixed host port: a restarted container keeps it, so the probe can see it come back
      startTestContainer({ image: IMAGES.redis, run: RUN, role: 'stop', name: `fd-${RUN}-stop`, ready: redisReady, ports: [{ container: 6379, host: stopPort }] }),
      ...[1, 2, 3].map((i) =>
        startTestContainer({ image: IMAGES.sleeper, run: RUN, role: 'replica', name: `fd-${RUN}-replica-${i}`, command: ['echo ready; exec sleep 600'], ready: /ready/ }),
      ),
    ]);
    redisPort = redis.getMappedPort(6379);
  });

  it('pauses the redis behind the cart until the kill switch trips, then unpauses it: exit 3', async () => {
    const file = drillFile('redis-pause', `
apiVersion: firedrill/v1
name: container-redis-pause
hypothesis: the cart notices a frozen redis at once and the kill switch ends the drill
environments: [test]
targets:
  redis:
    container: { label: ${label('redis')} }
  cart:
    start:
      command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(repoRoot, 'examples/compose/cart.js'))}]
      env: { CART_PORT: "\${port:CART}", REDIS_PORT: ${redisPort} }
      ready: { http: "http://127.0.0.1:\${port:CART}/health" }
blastRadius: { target: redis, maxDuration: 1m }
faults:
  - { type: container-pause, target: redis, duration: 30s }
probes:
  cart:
    http: { url: "http://127.0.0.1:\${port:CART}/health", timeout: 1s }
    interval: 200ms
phases: { preflight: 1s, baseline: 1s, recovery: 2s }
expect:
  recovery: [ { probe: cart, recoversWithin: 2s } ]
killSwitch:
  - { probe: cart, consecutiveFailures: 2 }
`);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir]);
    const journal = journalOf(r.stderr);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe' });
    expect(journal.faults).toHaveLength(1);
    expect(journal.faults[0]).toMatchObject({ type: 'container-pause', status: 'reverted' });
    // the trip came from the pause: well before the fault's 30 s
    expect((journal.faults[0]?.revertedT ?? Infinity) - (journal.faults[0]?.injectedT ?? 0)).toBeLessThan(15_000);
    expect((await inspect(`fd-${RUN}-redis`)).State.Paused).toBe(false);
    expect(await redisAnswers(redisPort)).toBe(true);
  });

  it('kills exactly one of three replicas selected by label with count 1, and starts it again', async () => {
    const names = [1, 2, 3].map((i) => `fd-${RUN}-replica-${i}`);
    const before = new Map(await Promise.all(names.map(async (n) => [n, (await inspect(n)).State.StartedAt] as const)));
    const running = `test "$(docker ps -q --filter label=${TEST_LABEL}=${RUN} --filter label=role=replica | wc -l)" -ge 2`;
    const file = drillFile('replica-kill', `
apiVersion: firedrill/v1
name: container-replica-kill
hypothesis: two of three replicas keep serving while one is killed
environments: [test]
targets:
  replicas:
    container: { label: ${label('replica')} }
blastRadius:
  target: replicas
  select: { mode: count, value: 1 }
  maxTargets: 1
  maxDuration: 1m
faults:
  - { type: container-kill, target: replicas, duration: 2s }
probes:
  capacity:
    command: { run: ${JSON.stringify(['sh', '-c', running])}, timeout: 5s }
    interval: 500ms
phases: { preflight: 1s, baseline: 1s, recovery: 2s }
expect:
  fault: [ { probe: capacity, successRate: ">= 99%" } ]
killSwitch:
  - { probe: capacity, consecutiveFailures: 2 }
`);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--seed', '7']);
    const journal = journalOf(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    const record = journal.targets.find((t) => t.name === 'replicas');
    expect(record?.instances.map((i) => i.id).sort()).toEqual(names);
    expect(record?.instances.filter((i) => i.selected)).toHaveLength(1);
    expect(journal.faults).toHaveLength(1);
    expect(journal.faults[0]).toMatchObject({ type: 'container-kill', status: 'reverted' });
    const after = await Promise.all(names.map((n) => inspect(n)));
    expect(after.every((c) => c.State.Running)).toBe(true);
    // the engine gives a started container a new StartedAt: exactly the selected one was killed and started
    const restarted = after.filter((c) => c.State.StartedAt !== before.get(c.Name.replace(/^\//, ''))).map((c) => c.Name.replace(/^\//, ''));
    expect(restarted).toEqual(record?.instances.filter((i) => i.selected).map((i) => i.id));
  });

  it('stops a container and it runs again after the revert: exit 0', async () => {
    const startedAt = (await inspect(`fd-${RUN}-stop`)).State.StartedAt;
    const file = drillFile('stop', `
apiVersion: firedrill/v1
name: container-stop
hypothesis: redis is back within 5 s of being started again
environments: [test]
targets:
  redis:
    container: { name: fd-${RUN}-stop }
blastRadius: { target: redis, maxDuration: 1m }
faults:
  - { type: container-stop, target: redis, duration: 2s, stopTimeout: 2s }
probes:
  redis-port:
    tcp: { port: ${stopPort} }
    interval: 200ms
phases: { preflight: 1s, baseline: 1s, recovery: 6s }
expect:
  recovery: [ { probe: redis-port, recoversWithin: 5s } ]
`);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir]);
    const journal = journalOf(r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(journal.faults[0]).toMatchObject({ type: 'container-stop', status: 'reverted' });
    // the probe saw the stop
    expect(journal.samples.some((s) => s.phase === 'fault' && !s.ok)).toBe(true);
    const after = await inspect(`fd-${RUN}-stop`);
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(startedAt);
    expect(await redisAnswers(stopPort)).toBe(true);
  });

  it('plan lists the containers a run would hit, and touches none', async () => {
    const file = drillFile('plan', `
apiVersion: firedrill/v1
name: container-plan
environments: [test]
targets:
  replicas:
    container: { label: ${label('replica')} }
blastRadius: { target: replicas, select: { mode: count, value: 1 }, maxTargets: 1 }
faults:
  - { type: container-pause, target: replicas, duration: 5s }
probes:
  ok:
    command: { run: ["true"] }
`);
    const before = await Promise.all([1, 2, 3].map((i) => inspect(`fd-${RUN}-replica-${i}`)));
    const r = await runCli(['plan', file, '--seed', '3']);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const i of [1, 2, 3]) expect(r.stdout).toContain(`fd-${RUN}-replica-${i}`);
    expect(r.stdout).toMatch(/running containers with labels .*role=replica/);
    expect(r.stdout.match(/→ HIT/g)).toHaveLength(1);
    expect(r.stdout).toContain('Nothing was injected');
    const after = await Promise.all([1, 2, 3].map((i) => inspect(`fd-${RUN}-replica-${i}`)));
    expect(after.map((c) => [c.State.Running, c.State.Paused, c.State.StartedAt])).toEqual(before.map((c) => [true, false, c.State.StartedAt]));
  });

  it('refuses when the chosen container is gone by inject time: exit 4, nothing injected', async () => {
    const victim = await startTestContainer({ image: IMAGES.sleeper, run: RUN, role: 'vanish', name: `fd-${RUN}-vanish`, command: ['echo ready; exec sleep 600'], ready: /ready/ });
    const file = drillFile('vanish', `
apiVersion: firedrill/v1
name: container-vanish
environments: [test]
targets:
  victim:
    container: { name: fd-${RUN}-vanish }
blastRadius: { target: victim, maxDuration: 1m }
faults:
  - { type: container-pause, target: victim, duration: 5s }
probes:
  ok:
    command: { run: ["true"] }
    interval: 200ms
phases: { preflight: 4s, baseline: 0s, recovery: 0s }
`);
    const run = startCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir]);
    let stderr = '';
    // once the runner has resolved its targets, recreate the container under the same name: a new id
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`targets never resolved:\n${stderr}`)), 30_000);
      run.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('"event":"targets-resolved"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await execa('docker', ['rm', '-f', victim.getId()]);
    await startTestContainer({ image: IMAGES.sleeper, run: RUN, role: 'vanish', name: `fd-${RUN}-vanish`, command: ['echo ready; exec sleep 600'], ready: /ready/ });
    const r = await run;
    expect(r.exitCode, stderr).toBe(4);
    expect(String(r.stderr)).toMatch(/container fd-.*-vanish is gone, was replaced/);
    expect((await inspect(`fd-${RUN}-vanish`)).State.Paused).toBe(false);
  });

  for (const mode of ['dead-man switch', 'firedrill recover'] as const) {
    it(`SIGKILL of the runner mid container-pause: the ${mode} unpauses the container from the ledger`, async () => {
      const state = tempDir('firedrill-container-state-');
      try {
        const file = drillFile(`sigkill-${mode.split(' ')[0]}`, `
apiVersion: firedrill/v1
name: container-sigkill
environments: [test]
targets:
  redis:
    container: { label: ${label('redis')} }
blastRadius: { target: redis, maxDuration: 1m }
faults:
  - { type: container-pause, target: redis, duration: 30s }
probes:
  redis-port:
    tcp: { port: ${redisPort} }
    interval: 200ms
phases: { preflight: 600ms, baseline: 200ms, recovery: 500ms }
killSwitch:
  - { probe: redis-port, consecutiveFailures: 1000 }
`);
        const env = { FIREDRILL_STATE_DIR: state.dir };
        const child = startCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env });
        await watchStderr(child).until(/"msg":"injected /);
        expect((await inspect(`fd-${RUN}-redis`)).State.Paused).toBe(true);
        if (mode === 'firedrill recover') {
          const runs = join(state.dir, 'runs');
          const [id] = readdirSync(runs);
          const record = JSON.parse(readFileSync(join(runs, id as string, 'run.json'), 'utf8')) as { watchdog: { pid: number } };
          process.kill(record.watchdog.pid, 'SIGKILL');
        }
        process.kill(child.pid as number, 'SIGKILL');
        await child.catch(() => undefined);
        if (mode === 'firedrill recover') {
          await new Promise((r) => setTimeout(r, 500));
          expect((await inspect(`fd-${RUN}-redis`)).State.Paused).toBe(true);
          const recovered = await runCli(['recover'], { env });
          expect(recovered.exitCode, recovered.stdout).toBe(0);
          expect(recovered.stdout).toMatch(/done .*unpause/i);
        }
        const deadline = Date.now() + 5000;
        while ((await inspect(`fd-${RUN}-redis`)).State.Paused && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect((await inspect(`fd-${RUN}-redis`)).State.Paused).toBe(false);
        expect(await redisAnswers(redisPort)).toBe(true);
        expect(readdirSync(join(state.dir, 'runs'))).toEqual([]);
      } finally {
        await execa('docker', ['unpause', `fd-${RUN}-redis`], { reject: false });
        state.cleanup();
      }
    });
  }
});
