/**
 * tc and limit faults on remote hosts (network-bandwidth, the netem faults, process-limit) against
 * real sshd hosts (test/support/ssh-fleet.ts: network + pid namespaces this suite makes). The
 * built CLI runs the drills over SSH; the test looks at the hosts with its own eyes (nsenter:
 * `tc qdisc show`, /proc/<pid>/limits), never through firedrill.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, watchStderr } from '../support/cli.js';
import { missing } from '../support/components.js';
import { useFleet, type FleetHost } from '../support/ssh-fleet.js';

const skip = missing({ commands: ['sshd', 'ssh-keygen', 'ip', 'tc', 'prlimit', 'nsenter', 'unshare'], root: true });

describe.skipIf(skip)('tc and limit faults on remote hosts', () => {
  const lab = useFleet({ hosts: 2, service: 'sleep' });
  const { env, ssh, journalFrom, running } = lab;
  let web1: FleetHost;
  let web2: FleetHost;
  beforeAll(() => {
    [web1, web2] = lab.fleet.hosts as [FleetHost, FleetHost];
  });

  const run = (drill: string, extra: Record<string, string> = {}) =>
    startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], { env: env(extra) });
  /** What the host itself says: its root qdisc on eth0 and the open-files soft limit of its `sleep 3600`. */
  const look = async (h: FleetHost): Promise<{ qdisc: string; openFiles: string }> => {
    const r = await lab.fleet.sh(h, 'tc qdisc show dev eth0 root | cut -d" " -f2,3; p=$(pgrep -f "^sleep 3600$" | head -n1); grep "^Max open files" /proc/$p/limits | tr -s " " | cut -d" " -f4');
    const [qdisc = '', openFiles = ''] = r.stdout.trim().split('\n');
    return { qdisc, openFiles };
  };
  const untouched = async (h: FleetHost): Promise<void> => {
    const now = await look(h);
    expect(now.qdisc).not.toMatch(/^(tbf|htb)/);
    expect(now.openFiles).not.toBe('64');
  };

  it('caps the bandwidth (tc tbf) and lowers the open-files limit on the chosen host only, and takes both back on revert', async () => {
    const before = await look(web1);
    const cli = run('test/fixtures/drills/fleet-tc-limit.yaml');
    running.push(cli);
    await watchStderr(cli).until(/injected (?=[\s\S]*injected)/, { timeoutMs: 25_000 });
    await expect.poll(() => look(web1), { timeout: 5000 }).toMatchObject({ qdisc: expect.stringMatching(/^htb [0-9a-f]+:$/) as unknown, openFiles: '64' });
    await untouched(web2);
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    expect(await look(web1)).toEqual(before);
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults.map((f) => f.status)).toEqual(['reverted', 'reverted']);
    expect(journal.faults.map((f) => f.undo)).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'remote', host: 'web-1', recipe: expect.objectContaining({ kind: 'command' }) as unknown }),
      expect.objectContaining({ kind: 'remote', host: 'web-1', recipe: expect.objectContaining({ kind: 'open-files-limit' }) as unknown }),
    ]));
  });

  it('the host\'s lease takes both back when the runner is SIGKILLed mid-fault', async () => {
    const before = await look(web1);
    const cli = run('test/fixtures/drills/fleet-tc-limit.yaml', { FAULT_DURATION: '60s', LEASE: '2s' });
    running.push(cli);
    await watchStderr(cli).until(/injected (?=[\s\S]*injected)/, { timeoutMs: 25_000 });
    await expect.poll(() => look(web1), { timeout: 5000 }).toMatchObject({ qdisc: expect.stringMatching(/^htb/) as unknown, openFiles: '64' });
    const t0 = performance.now();
    cli.kill('SIGKILL');
    await cli.catch(() => undefined);
    let now = await look(web1);
    while ((now.qdisc !== before.qdisc || now.openFiles !== before.openFiles) && performance.now() - t0 < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
      now = await look(web1);
    }
    expect(now).toEqual(before);
    // within lease + 1 s (+ slack for a loaded machine)
    expect(performance.now() - t0).toBeLessThan(2000 + 1000 + 1500);
    const rec = await runCli(['recover', '--json'], { env: env() });
    expect(rec.exitCode, rec.stdout + rec.stderr).toBe(0);
  });

  it('never shapes the runner\'s own SSH connection: a host capped at 8 kbit/s still answers 60 kB probes at once, while its other traffic crawls', async () => {
    const before = await lab.fleet.sh(web1, 'tc qdisc show dev eth0; tc filter show dev eth0');
    // the control: unshaped, all of a transfer from web-1 to the runner's side (another port) arrives at once
    expect(await lab.fleet.bytesWithin(web1, 256 * 1024, 1500)).toBe(256 * 1024);
    const cli = run('test/fixtures/drills/fleet-tight-cap.yaml');
    running.push(cli);
    await watchStderr(cli).until(/injected limit outgoing/, { timeoutMs: 25_000 });
    // what the host itself shows: our root qdisc with the tbf under it, and a filter for the runner's flow
    const tree = (await lab.fleet.sh(web1, 'tc qdisc show dev eth0; tc filter show dev eth0')).stdout;
    expect(tree).toMatch(/^qdisc htb ([0-9a-f]+): root/m);
    const root = /^qdisc htb ([0-9a-f]+): root/m.exec(tree)?.[1] ?? '?';
    expect(tree).toMatch(new RegExp(`^qdisc tbf [0-9a-f]+: parent ${root}:2 rate 8Kbit`, 'm'));
    expect(tree).toMatch(new RegExp(`flowid ${root}:1`));
    // the host's other traffic, even to the runner's own address, is shaped: 4 kB of burst and 1 kB/s, not 256 kB
    expect(await lab.fleet.bytesWithin(web1, 256 * 1024, 1500)).toBeLessThan(64 * 1024);
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    expect((await lab.fleet.sh(web1, 'tc qdisc show dev eth0; tc filter show dev eth0')).stdout).toBe(before.stdout);
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults.map((f) => f.status)).toEqual(['reverted']);
    // the plan and the record say so
    expect(journal.faults[0]?.label).toContain(`the runner's SSH ${lab.fleet.runnerAddress}:`);
    // the host never had to revert by itself: the renewals got through
    expect(String(r.stderr)).not.toMatch(/lease-expired/);
    // every 60 kB probe over the runner's connection while the cap held came back whole and in time
    const during = (journal.samples ?? []).filter((s) => s.probe === 'bulk-from-web-1' && s.phase === 'fault');
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(during.filter((s) => !s.ok).map((s) => s.error)).toEqual([]);
  });

  it('refuses a netem fault on a host whose kernel has no netem, before anything is injected anywhere', async () => {
    const netem = await lab.fleet.sh(web1, 'unshare --net -- tc qdisc add dev lo root netem delay 1ms 2>&1');
    const file = join(lab.fleet.dir, 'latency.yaml');
    writeFileSync(file, readFileSync('test/fixtures/drills/fleet-tc-limit.yaml', 'utf8').replace('type: network-bandwidth', 'type: network-latency').replace('rate: 1mbit', 'latency: 50ms'));
    const before = await look(web1);
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], { env: env() });
    if (netem.exitCode === 0) {
      // a kernel with netem: the fault works like the bandwidth one
      expect([0, 1], r.stderr).toContain(r.exitCode);
    } else {
      expect(netem.stdout).toMatch(/kind is unknown/);
      expect(r.exitCode, r.stderr).toBe(4);
      expect(r.stdout + r.stderr).toMatch(/host web-1: network-latency needs netem, and that host's kernel has none/);
    }
    expect(await look(web1)).toEqual(before);
  });
});
