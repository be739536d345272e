/**
 * Network faults through the built CLI, the way users run them: a drill against a process in a
 * network namespace this suite creates (test/support/netns.ts), probed from a second namespace.
 * Needs `npm run build` first (the `pretest` script does it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { missing } from '../support/components.js';
import { NetnsLab } from '../support/netns.js';

const skip = missing({ commands: ['nft', 'tc', 'ip', 'nsenter', 'unshare'], root: true });

const out = tempDir('firedrill-network-');
const state = tempDir('firedrill-network-state-');
afterAll(() => {
  out.cleanup();
  state.cleanup();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const register = (cleanup: () => Promise<void> | void): void => {
  cleanups.push(cleanup);
};

/** A drill (JSON is YAML) that faults the server and probes it from the client namespace. */
function writeDrill(lab: NetnsLab, pid: number, fault: Record<string, unknown>, faultDuration = '2s'): string {
  const drill = {
    apiVersion: 'firedrill/v1',
    name: 'network-fault-through-the-cli',
    hypothesis: 'the client cannot reach the server while the fault is in place, and can again right after',
    environments: ['test'],
    targets: { server: { process: { pid } } },
    blastRadius: { target: 'server', maxDuration: '1m' },
    faults: [{ target: 'server', duration: faultDuration, ...fault }],
    probes: { reach: { command: { run: lab.connectProbe(400) }, interval: '250ms', timeout: '2s' } },
    phases: { preflight: '1500ms', baseline: '1s', recovery: '3s' },
    // no baseline expectation: a check that starts in the baseline's last moment can meet the fault
    expect: {
      fault: [{ probe: 'reach', successRate: '< 50%' }],
      recovery: [{ probe: 'reach', recoversWithin: '2s' }],
    },
    killSwitch: [{ probe: 'reach', consecutiveFailures: 1000 }],
  };
  const file = join(lab.dir, 'drill.yaml');
  writeFileSync(file, JSON.stringify(drill, null, 2));
  return file;
}

const run = (file: string) => ['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'];
const env = { FIREDRILL_STATE_DIR: state.dir };

describe.skipIf(skip)('network faults through the CLI', () => {
  it('partitions a process in its own namespace, holds the hypothesis (exit 0) and leaves no table behind', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const file = writeDrill(lab, instance.pid, { type: 'network-partition', peer: lab.clientAddr });
    const r = await runCli(run(file), { env, timeoutMs: 90_000 });
    // exit 0 needs the fault phase to fail (< 50 %): the partition really was in place
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`"msg":"injected drop traffic with ${lab.clientAddr.replace(/\./g, '\\.')}, both directions, in the network namespace of server pid ${instance.pid} \\(net:`));
    expect(r.stderr).toMatch(/"msg":"reverted drop traffic/);
    expect(await lab.serverTables()).toEqual([]);
  });

  it('refuses a latency fault when the kernel has no netem: exit 4, the fault proxy suggested, nothing injected', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const file = writeDrill(lab, instance.pid, { type: 'network-latency', latency: '100ms' });
    const r = await runCli(run(file), { env, timeoutMs: 90_000 });
    if (/needs netem, and this kernel has none/.test(r.stderr)) {
      expect(r.exitCode, r.stderr).toBe(4);
      expect(r.stderr).toContain('fault proxy');
      expect(r.stderr).not.toMatch(/"msg":"injecting /);
    } else {
      // a kernel with netem: the drill runs; what matters here is that nothing stays behind
      expect(r.stderr).toMatch(/"msg":"reverted /);
    }
    expect(await lab.serverRootQdisc()).toBe('noqueue');
  });

  it('deletes the table from the ledger when the runner is SIGKILLed mid-fault (dead-man switch)', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const file = writeDrill(lab, instance.pid, { type: 'network-partition', peer: lab.clientAddr }, '30s');
    const child = startCli(run(file), { env, timeoutMs: 90_000 });
    register(async () => {
      child.kill('SIGKILL');
      await child;
    });
    await watchStderr(child).until(/"msg":"injected /);
    expect(await lab.serverTables()).toHaveLength(1);

    child.kill('SIGKILL');
    await child;
    // the watchdog replays the ledger's recipe from its own process; bounded wait
    const deadline = Date.now() + 20_000;
    let tables = await lab.serverTables();
    while (tables.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      tables = await lab.serverTables();
    }
    expect(tables).toEqual([]);
    expect(await lab.measure('connect', 1500)).toMatchObject({ ok: true });
  });
});
