import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';

const PROBES = 100;
const out = tempDir('firedrill-many-probes-');
afterAll(() => out.cleanup());

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

/** A drill with 100 probes every 100 ms against one test server, and a fault that changes nothing. */
function manyProbesDrill(): string {
  const probes = Array.from({ length: PROBES }, (_, i) => `  p${i}: { tcp: { port: "\${TARGET_PORT}" }, interval: 100ms, timeout: 2s }`).join('\n');
  return `apiVersion: firedrill/v1
name: many-probes
environments: [test]
targets:
  server:
    process: { pid: "\${TARGET_PID}" }
blastRadius: { target: server, maxDuration: 1m }
faults:
  - { id: noop, type: command, target: server, duration: 1s, inject: "true", revert: "true" }
probes:
${probes}
phases: { preflight: 500ms, baseline: 500ms, recovery: 500ms }
killSwitch:
  - { probe: p0, consecutiveFailures: 1000 }
`;
}

describe('a drill with many probes', () => {
  it('runs 100 probes every 100 ms without a MaxListenersExceededWarning (listeners do not grow)', async () => {
    target = await startHttpTarget();
    const file = join(out.dir, 'many-probes.yaml');
    writeFileSync(file, manyProbesDrill());
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], {
      env: { TARGET_PID: String(target.pid), TARGET_PORT: String(target.port) },
    });
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
    expect(r.stderr).not.toMatch(/possible EventTarget memory leak|MaxListeners/i);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
  }, 60_000);
});
