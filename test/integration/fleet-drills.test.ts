/**
 * Drills against a fleet of real sshd hosts (test/support/ssh-fleet.ts): three network + pid
 * namespaces this suite makes, each with sshd and redis-server; the built CLI runs the drills over
 * SSH with per-run keys and known_hosts. Everything is removed after the suite, also on failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, watchStderr } from '../support/cli.js';
import { missing } from '../support/components.js';
import { useFleet } from '../support/ssh-fleet.js';
import { SshExecutor } from '../../src/executors/ssh-executor.js';
import { SshConnection } from '../../src/ssh/connection.js';
import { defaultCredentials } from '../../src/ssh/credentials.js';

const skip = missing({ commands: ['sshd', 'ssh-keygen', 'redis-server', 'ip', 'nsenter', 'unshare', 'nft'], root: true });
const drill = 'test/fixtures/drills/fleet-redis.yaml';

describe.skipIf(skip)('drills on remote hosts over SSH', () => {
  const lab = useFleet({
    hosts: 3,
    // a failed test must not leave a paused redis behind for the next one
    afterEachTest: async (fleet) => {
      for (const h of fleet.hosts) await fleet.sh(h, 'pkill -CONT redis-server; true');
    },
  });
  const { ssh, journalFrom, running, cleanups } = lab;
  let yaml: string;
  beforeAll(() => {
    yaml = join(lab.fleet.dir, 'hosts.yml');
    writeFileSync(
      yaml,
      ['all:', '  vars:', '    ansible_user: root', '  children:', '    web:', '      hosts:', ...lab.fleet.hosts.map((h) => `        ${h.name}: { ansible_host: ${h.address} }`), ''].join('\n'),
    );
  });
  const env = (extra: Record<string, string> = {}): Record<string, string> => lab.env({ PROBE_HOST: lab.fleet.hosts[0]?.address ?? '', ...extra });
  /** the Markdown and HTML reports written next to the journal */
  const reportsFrom = (stderr: string): { md: string; html: string } => {
    const m = /journal: (.+)journal\.json/.exec(stderr);
    if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
    return { md: readFileSync(`${m[1]}report.md`, 'utf8'), html: readFileSync(`${m[1]}report.html`, 'utf8') };
  };
  /** the Markdown report's row for `host` in its Hosts section */
  const hostRow = (md: string, host: string): string => {
    const section = md.slice(md.indexOf('### Hosts'));
    return section.split('\n').find((l) => l.startsWith(`| ${host} `)) ?? `(no row for ${host})`;
  };
  const redisStates = async (): Promise<string[]> => Promise.all(lab.fleet.hosts.map(async (h) => (await lab.fleet.processes(h, 'redis-server'))[0]?.state ?? 'gone'));

  it('plan shows the exact host and pid the blast radius picks (YAML inventory), and the SSH exemption', async () => {
    const r = await runCli(['plan', drill, '--seed', '7', ...ssh()], { env: env({ INVENTORY: yaml }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hosts: count 1 of 3, random \(seed 7\)/);
    expect(r.stdout).toMatch(/→ HIT {2}web-\d pid \d+ {2}redis-server/);
    expect(r.stdout.match(/→ HIT/g)).toHaveLength(1);
    expect(r.stdout).toContain(`${lab.fleet.runnerAddress}:`);
    expect(r.stdout).toContain('Nothing was injected');
  });

  it('pauses redis on exactly 1 of 3 hosts chosen by the blast radius, and resumes it (INI inventory)', async () => {
    const cli = startCli(['run', drill, '--env', 'test', '--yes', '--seed', '3', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], { env: env({ FAULT_DURATION: '3s' }) });
    running.push(cli);
    const watch = watchStderr(cli);
    await watch.until(/injected SIGSTOP/, { timeoutMs: 50_000 });
    const during = await redisStates();
    expect(during.filter((s) => s === 'T')).toHaveLength(1);
    const r = await cli;
    expect([0, 1], String(r.stderr)).toContain(r.exitCode);
    const journal = journalFrom(String(r.stderr));
    expect(journal.faults).toHaveLength(1);
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', instance: { host: expect.stringMatching(/^web-\d$/) } });
    const pausedHost = lab.fleet.hosts.findIndex((_, i) => during[i] === 'T');
    expect(journal.faults[0]?.instance?.host).toBe(lab.fleet.hosts[pausedHost]?.name);
    expect(await redisStates()).not.toContain('T');
    expect(journal.targets[0]?.instances.filter((i) => i.selected)).toHaveLength(1);
    // the report, host by host: the paused host's pid, its revert time and lease; the others untouched
    const pausedName = lab.fleet.hosts[pausedHost]?.name as string;
    const pid = journal.faults[0]?.instance?.pid as number;
    const { md, html } = reportsFrom(String(r.stderr));
    expect(hostRow(md, pausedName)).toMatch(new RegExp(`pid ${pid} redis-server.*\\(reverted\\) \\| \\d+ms \\| released \\| yes \\|`));
    for (const h of lab.fleet.hosts.filter((x) => x.name !== pausedName)) expect(hostRow(md, h.name)).toMatch(/\| nothing \| — \| none \| yes \|/);
    expect(html).toContain('<h3>Hosts</h3>');
    expect(html).toContain(`pid ${pid} redis-server`);
    // no key material anywhere in what the run wrote
    const key = readFileSync(lab.fleet.clientKey, 'utf8').split('\n')[1] ?? 'x';
    expect(JSON.stringify(journal)).not.toContain(key.slice(0, 20));
    expect(String(r.stderr)).not.toContain(key.slice(0, 20));
  });

  it('refuses an unreachable host at preflight (exit 4) with nothing injected anywhere', async () => {
    const withGhost = join(lab.fleet.dir, 'ghost.ini');
    writeFileSync(withGhost, `${readFileSync(lab.ini, 'utf8')}\n[web]\nweb-9 ansible_host=${lab.fleet.subnet}.99\n`);
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], { env: env({ INVENTORY: withGhost, HOSTS: '3' }) });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/web-9 .* unreachable/);
    expect(hostRow(reportsFrom(r.stderr).md, 'web-9')).toContain('**unreachable at preflight: nothing was injected anywhere**');
    expect(await redisStates()).not.toContain('T');
    // no lease was ever started: nothing was about to be injected
    for (const h of lab.fleet.hosts) expect((await lab.fleet.sh(h, 'ls /tmp | grep -c firedrill-lease || true')).stdout.trim()).toBe('0');
  });

  it('refuses a host whose key is not in known_hosts, showing the fingerprint (exit 4)', async () => {
    const partial = join(lab.fleet.dir, 'partial_known_hosts');
    writeFileSync(partial, lab.fleet.hosts.slice(0, 2).map((h) => `${h.address} ${h.hostKey}\n`).join(''));
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), '--identity', lab.fleet.clientKey, '--known-hosts', partial], { env: env() });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/web-3 .* unknown ssh-ed25519 key SHA256:[A-Za-z0-9+/]{43}/);
    expect(await redisStates()).not.toContain('T');
  });

  it('reverts through both hosts\' leases when the runner is SIGKILLed mid-fault on two hosts', async () => {
    const cli = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], {
      env: env({ HOSTS: '2', FAULT_DURATION: '60s', LEASE: '2s' }),
    });
    running.push(cli);
    const watch = watchStderr(cli);
    // both pauses in place
    await watch.until(/injected SIGSTOP/, { count: 2, timeoutMs: 60_000 });
    expect((await redisStates()).filter((s) => s === 'T')).toHaveLength(2);
    const t0 = performance.now();
    cli.kill('SIGKILL');
    await cli.catch(() => undefined);
    let states = await redisStates();
    while (states.includes('T') && performance.now() - t0 < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
      states = await redisStates();
    }
    expect(states).not.toContain('T');
    // the local dead-man switch may race the leases; either way both are back within lease + 1 s (+ slack for a loaded machine)
    expect(performance.now() - t0).toBeLessThan(2000 + 1000 + 1500);
    // recover finds nothing left to do, or reports that the leases did it
    const rec = await runCli(['recover', '--json'], { env: env() });
    expect(rec.exitCode, rec.stdout + rec.stderr).toBe(0);
  });

  it('a partition on a host whose SSH link then fails is reverted by the host\'s lease, and recover, reconnecting, finds it done', async () => {
    const h = lab.fleet.hosts[0] as (typeof lab.fleet.hosts)[number];
    cleanups.push(() => lab.fleet.heal(h));
    const firedrillTables = async (): Promise<string[]> => (await lab.fleet.tables(h)).filter((t) => t.startsWith('firedrill_'));
    const cli = startCli(['run', 'test/fixtures/drills/fleet-partition.yaml', '--env', 'test', '--yes', '--report-dir', join(lab.fleet.dir, 'reports'), ...ssh()], {
      env: env({ FAULT_DURATION: '3s', LEASE: '2s' }),
    });
    running.push(cli);
    const watch = watchStderr(cli);
    await watch.until(/injected/, { timeoutMs: 60_000 });
    expect(await firedrillTables(), watch.text()).toHaveLength(1);
    // the partition exempts the runner's SSH session; now the link itself goes: the runner cannot reach the host any more
    const t0 = performance.now();
    await lab.fleet.cut(h);
    let tables = await firedrillTables();
    while (tables.length > 0 && performance.now() - t0 < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
      tables = await firedrillTables();
    }
    expect(tables).toEqual([]);
    // within lease + 1 s (+ slack for a loaded machine)
    expect(performance.now() - t0).toBeLessThan(2000 + 1000 + 1500);
    // the runner, cut off, cannot revert: it says so (exit 5) and names the lease that did
    const r = await cli.catch((e: unknown) => e as { exitCode?: number; stderr?: string });
    expect(r.exitCode, String(r.stderr)).toBe(5);
    expect(String(r.stderr)).toMatch(/host web-1's lease reverts it by itself within 2000 ms/);
    // the report names the host as cut off and gives the fix to run there by hand (over ssh)
    const { md } = reportsFrom(String(r.stderr));
    expect(hostRow(md, 'web-1')).toMatch(/\*\*not reverted\*\*.*\*\*unreachable/);
    expect(md).toMatch(/\*\*Manual fix on web-1\*\*/);
    expect(md).toMatch(new RegExp(`^ssh .*root@${h.address.replace(/\./g, '\\.')}.*nft delete table`, 'm'));
    await lab.fleet.heal(h);
    // reconnect over SSH (host key verified) and look on the host: no firedrill table is left
    const conn = await SshConnection.open(
      { name: h.name, address: { user: 'root', host: h.address, port: h.port } },
      { credentials: defaultCredentials({ identityFiles: [lab.fleet.clientKey], knownHostsFiles: [lab.fleet.knownHosts] }, {}) },
    );
    try {
      const listed = await new SshExecutor(conn).sh('nft list tables', { timeoutMs: 10_000 });
      expect(listed.exitCode).toBe(0);
      expect(listed.stdout).not.toContain('firedrill_');
    } finally {
      await conn.close();
    }
    // and recover has nothing left to do, even while the local dead-man switch may still be
    // closing the same run (recover waits for the switch instead of reading a half-removed folder)
    const rec = await runCli(['recover', '--json'], { env: env() });
    expect(rec.exitCode, rec.stdout + rec.stderr).toBe(0);
  });
});
