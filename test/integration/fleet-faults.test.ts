/**
 * Resource and command faults on remote hosts, and command probes that run *on* a host
 * (`on: web-1`), against a fleet of real sshd hosts (test/support/ssh-fleet.ts: network + pid
 * namespaces this suite makes). The built CLI runs the drills over SSH with per-run keys and
 * known_hosts; the test looks at the hosts with its own eyes (nsenter), never through firedrill.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, watchStderr } from '../support/cli.js';
import { missing } from '../support/components.js';
import { useFleet, type FleetHost } from '../support/ssh-fleet.js';
import { buildSleeperImage, dockerMissing, removeTestContainers, TEST_LABEL } from '../support/images.js';
import { execa } from 'execa';

const noDocker = dockerMissing();
const skip = missing({ commands: ['sshd', 'ssh-keygen', 'redis-server', 'redis-cli', 'stress-ng', 'ip', 'nsenter', 'unshare'], root: true });

describe.skipIf(skip)('resource and command faults on remote hosts, probes on a host', () => {
  const lab = useFleet({
    hosts: 2,
    // a failed test must not leave a stress worker or a flag behind for the next one
    afterEachTest: async (fleet) => {
      for (const h of fleet.hosts) await fleet.sh(h, 'pkill -KILL stress-ng; rm -f /tmp/firedrill-maintenance /tmp/pwned; true');
    },
  });
  const { env, ssh, journalFrom, running, cleanups } = lab;
  let web1: FleetHost;
  let web2: FleetHost;
  beforeAll(() => {
    [web1, web2] = lab.fleet.hosts as [FleetHost, FleetHost];
  });

  const run = (drill: string, extra: Record<string, string> = {}, args: string[] = []) =>
    startCli(['run', `test/fixtures/drills/${drill}`, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh(), ...args], { env: env(extra) });
  const stressOn = async (h: FleetHost): Promise<number> => (await lab.fleet.processes(h, 'stress-ng')).filter((p) => p.state !== 'Z').length;
  /** `nice policy` of every live stress-ng process on the host, from its /proc (`19 5`: nice 19, SCHED_IDLE). */
  const stressPriorities = async (h: FleetHost): Promise<string[]> =>
    (
      await lab.fleet.sh(h, 'for d in /proc/[0-9]*; do read -r s <"$d/stat" 2>/dev/null || continue; case $s in *"(stress-ng"*) ;; *) continue ;; esac; s=${s##*) }; set -- $s; [ "$1" = Z ] || echo "${17} ${39}"; done')
    ).stdout.split('\n').filter((l) => l.trim() !== '');

  it('holds memory with stress-ng on the chosen host only, frees it on revert, and the on: probe ran redis-cli on web-1', async () => {
    const cli = run('fleet-memory.yaml');
    running.push(cli);
    await watchStderr(cli).until(/injected memory-pressure/, { timeoutMs: 25_000 });
    expect(await stressOn(web1)).toBeGreaterThan(0);
    // memory workers keep the normal priority, as locally: the memory must be taken on a busy host
    expect(new Set(await stressPriorities(web1))).toEqual(new Set(['0 0']));
    expect(await stressOn(web2)).toBe(0);
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    expect(await stressOn(web1)).toBe(0);
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', instance: { host: 'web-1' } });
    // the probe ran on the host (redis there listens on its own 127.0.0.1, which this machine's redis-cli cannot reach)
    const sample = JSON.stringify(journal).match(/PONG/g);
    expect(sample?.length ?? 0).toBeGreaterThan(0);
  });

  it('runs the CPU stress worker at SCHED_IDLE and nice 19 on the host, and the host\'s lease stops it when the runner is SIGKILLed mid-fault', async () => {
    const cli = run('fleet-stress.yaml', { FAULT_DURATION: '60s', LEASE: '2s' });
    running.push(cli);
    const injected = await watchStderr(cli).until(/injected cpu-stress[^\n]*/, { timeoutMs: 25_000 });
    expect(await stressOn(web1)).toBeGreaterThan(0);
    // below everything on the host, as locally: every stress-ng process (parent and stressors) SCHED_IDLE at nice 19
    expect(await stressPriorities(web1)).not.toEqual([]);
    expect(new Set(await stressPriorities(web1))).toEqual(new Set(['19 5']));
    expect(injected[0]).toMatch(/at the lowest priority \(SCHED_IDLE, nice 19\)/);
    const t0 = performance.now();
    cli.kill('SIGKILL');
    await cli.catch(() => undefined);
    let left = await stressOn(web1);
    while (left > 0 && performance.now() - t0 < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
      left = await stressOn(web1);
    }
    expect(left).toBe(0);
    // within lease + 1 s (+ slack for a loaded machine); stress-ng's own --timeout would have taken 65 s
    expect(performance.now() - t0).toBeLessThan(2000 + 1000 + 1500);
    const rec = await runCli(['recover', '--json'], { env: env() });
    expect(rec.exitCode, rec.stdout + rec.stderr).toBe(0);
  });

  it('runs inject and revert on the chosen host, with a variable that stays text (never shell code)', async () => {
    const msg = 'x"; touch /tmp/pwned; echo "$(touch /tmp/pwned)';
    const cli = run('fleet-command.yaml', { MSG: msg });
    running.push(cli);
    await watchStderr(cli).until(/injected run/, { timeoutMs: 25_000 });
    expect((await lab.fleet.sh(web1, 'cat /tmp/firedrill-maintenance')).stdout).toBe(`${msg} on web-1`);
    expect((await lab.fleet.sh(web2, 'test -e /tmp/firedrill-maintenance && echo there || echo absent')).stdout.trim()).toBe('absent');
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    for (const h of lab.fleet.hosts) {
      expect((await lab.fleet.sh(h, 'ls /tmp/firedrill-maintenance /tmp/pwned 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
    }
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', instance: { host: 'web-1' } });
    expect(journal.faults[0]?.undo).toMatchObject({ kind: 'remote', host: 'web-1', recipe: { kind: 'command' } });
    // the on: probe read the flag on web-1 while it was set: its output is in the record as text
    expect(JSON.stringify(journal)).toContain(JSON.stringify(`${msg} on web-1`).slice(1, -1));
  });

  // the hosts share this machine's /run, so their docker CLI reaches this machine's engine: the
  // runner still only talks to it through web-1's SSH connection (docker system dial-stdio)
  it.skipIf(noDocker)('pauses a container through the host\'s Docker engine over SSH; the runner unpauses it, and the host\'s lease does when the runner is SIGKILLed', async () => {
    const run1 = `fleet-${process.pid}`;
    cleanups.push(() => removeTestContainers(run1));
    const image = await buildSleeperImage();
    const name = `fd-fleet-${process.pid}`;
    await execa('docker', ['run', '-d', '--name', name, '--label', `${TEST_LABEL}=${run1}`, image, 'sleep 600'], { timeout: 30_000 });
    const paused = async (): Promise<string> => (await execa('docker', ['inspect', '-f', '{{.State.Paused}}', name])).stdout.trim();

    const cli = run('fleet-container.yaml', { CONTAINER: name });
    running.push(cli);
    await watchStderr(cli).until(/injected pause container/, { timeoutMs: 25_000 });
    expect(await paused()).toBe('true');
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    expect(await paused()).toBe('false');
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', instance: { host: 'web-1' } });
    expect(journal.faults[0]?.undo).toMatchObject({ kind: 'remote', host: 'web-1', recipe: { kind: 'container', action: 'unpause' } });
    expect(JSON.stringify(journal)).toMatch(/running/);

    const killed = run('fleet-container.yaml', { CONTAINER: name, FAULT_DURATION: '60s', LEASE: '2s' });
    running.push(killed);
    await watchStderr(killed).until(/injected pause container/, { timeoutMs: 25_000 });
    expect(await paused()).toBe('true');
    const t0 = performance.now();
    killed.kill('SIGKILL');
    await killed.catch(() => undefined);
    while ((await paused()) === 'true' && performance.now() - t0 < 15_000) await new Promise((res) => setTimeout(res, 50));
    expect(await paused()).toBe('false');
    expect(performance.now() - t0).toBeLessThan(2000 + 1000 + 2500);
  });

  it('refuses an on: host no hosts target declares, at its position, with the declared hosts and a suggestion', async () => {
    const file = join(lab.fleet.dir, 'typo.yaml');
    writeFileSync(file, readFileSync('test/fixtures/drills/fleet-stress.yaml', 'utf8').replace('on: web-1', 'on: web-l'));
    const r = await runCli(['validate', file], { env: env() });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/typo\.yaml:29:11: probe redis-on-web-1 runs on host "web-l", which no `hosts:` target declares; did you mean "web-1"\? \(declared hosts: web-1, web-2\) \[unknown-probe-host\]/);
  });
});
