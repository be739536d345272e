/**
 * Container targets when no Docker engine answers: `plan` and `run` refuse with a message that
 * says where firedrill looked and what to do. Needs no engine: DOCKER_HOST points at a closed
 * loopback port.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const dir = tempDir('firedrill-no-engine-');
afterAll(() => dir.cleanup());

const drill = join(dir.dir, 'pause.yaml');
writeFileSync(
  drill,
  `
apiVersion: firedrill/v1
name: no-engine
hypothesis: never runs
environments: [test]
targets:
  redis:
    container: { compose: { project: shop, service: redis } }
blastRadius: { target: redis }
faults:
  - { type: container-pause, target: redis, duration: 5s }
probes:
  ok:
    command: { run: ["true"] }
`,
);

// nothing listens on port 1: the connection is refused at once
const closed = { DOCKER_HOST: 'tcp://127.0.0.1:1' };

describe('container targets without a reachable Docker engine', () => {
  it('plan refuses with exit 4, naming the engine address and what to do', async () => {
    const r = await runCli(['plan', drill], { env: closed });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/no Docker engine answers at tcp:\/\/127\.0\.0\.1:1 .*start it \(dockerd\) or point DOCKER_HOST at one/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run refuses with exit 4 before anything is injected', async () => {
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', dir.dir], { env: closed });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/no Docker engine answers at tcp:\/\/127\.0\.0\.1:1/);
    expect(r.stderr).toMatch(/nothing was injected/);
  });

  it('validate does not need an engine at all', async () => {
    const r = await runCli(['validate', drill], { env: closed });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  });
});
