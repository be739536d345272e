/**
 * The SSH layer and the remote dead-man lease against real sshd hosts (test/support/ssh-fleet.ts):
 * three network + pid namespaces this suite creates, each with Debian's sshd and a redis-server.
 * Host keys and known_hosts are generated per run. Everything is removed after the suite.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SshExecutor } from '../../src/executors/ssh-executor.js';
import { undoShell } from '../../src/injectors/remote/undo-shell.js';
import { RemoteLease } from '../../src/lease/remote-lease.js';
import { SshConnection, type SshTarget } from '../../src/ssh/connection.js';
import { defaultCredentials, type SshCredentials } from '../../src/ssh/credentials.js';
import { SshPool } from '../../src/ssh/pool.js';
import { missing } from '../support/components.js';
import { useFleet, type FleetHost } from '../support/ssh-fleet.js';

const skip = missing({ commands: ['sshd', 'ssh-keygen', 'redis-server', 'ip', 'nsenter', 'unshare'], root: true });

describe.skipIf(skip)('SSH connections and the remote lease on real sshd hosts', () => {
  const lab = useFleet({ hosts: 3 });
  const { cleanups } = lab;
  let creds: SshCredentials;
  let pool: SshPool;
  const target = (h: FleetHost, jump?: FleetHost): SshTarget => ({
    name: h.name,
    address: { user: 'root', host: h.address, port: h.port },
    ...(jump ? { jump: target(jump) } : {}),
  });

  beforeAll(() => {
    creds = defaultCredentials({ identityFiles: [lab.fleet.clientKey], knownHostsFiles: [lab.fleet.knownHosts] }, {});
    pool = new SshPool({ credentials: creds });
    cleanups.push(() => pool.closeAll());
  });

  it('keeps one connection per host and learns how the host sees the runner', async () => {
    const a = await pool.get(target(lab.fleet.host('web-1')));
    const b = await pool.get(target(lab.fleet.host('web-1')));
    expect(a).toBe(b);
    expect(a.seenAs).toMatchObject({ clientAddress: lab.fleet.runnerAddress, serverAddress: lab.fleet.host('web-1').address, serverPort: 22 });
    // several commands at once share the one connection (channels)
    const outs = await Promise.all([1, 2, 3, 4].map((i) => a.exec(`echo ${i}`, { timeoutMs: 5000 })));
    expect(outs.map((o) => o.stdout.trim())).toEqual(['1', '2', '3', '4']);
  });

  it('refuses an unknown host key with its fingerprint, adds it only with the explicit flag, and never a changed one', async () => {
    const h = lab.fleet.host('web-2');
    const empty = join(lab.fleet.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const strict = { ...creds, knownHostsFiles: [empty] };
    const expected = readFileSync(join(lab.fleet.dir, 'web-2_host_ed25519.pub'), 'utf8');
    const refusal = await SshConnection.open(target(h), { credentials: strict }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'FD_HOST_KEY_REFUSED' });
    expect((refusal as Error).message).toMatch(/unknown ssh-ed25519 key SHA256:[A-Za-z0-9+/]{43}; nothing was done/);
    // the fingerprint shown is the one ssh-keygen shows for the host's key
    const { execa } = await import('execa');
    const keygen = await execa('ssh-keygen', ['-l', '-f', join(lab.fleet.dir, 'web-2_host_ed25519.pub')]);
    expect((refusal as Error).message).toContain(String(keygen.stdout).split(' ')[1]);
    expect(readFileSync(empty, 'utf8')).toBe('');

    const conn = await SshConnection.open(target(h), { credentials: { ...strict, acceptNewHostKeysInto: empty } });
    conn.close();
    expect(readFileSync(empty, 'utf8')).toMatch(/^\|1\|.+ ssh-ed25519 /);
    expect(readFileSync(empty, 'utf8')).toContain(expected.split(' ')[1]);

    // a different key for the same name is a changed key: refused even with the flag
    const wrong = join(lab.fleet.dir, 'wrong_known_hosts');
    writeFileSync(wrong, `${h.address} ${lab.fleet.host('web-1').hostKey}\n`);
    const changed = await SshConnection.open(target(h), { credentials: { ...creds, knownHostsFiles: [wrong], acceptNewHostKeysInto: wrong } }).catch((e: unknown) => e);
    expect(changed).toMatchObject({ code: 'FD_HOST_KEY_REFUSED' });
    expect((changed as Error).message).toMatch(/CHANGED/);
  });

  it('reaches a host through a jump host (ProxyJump), verifying both keys', async () => {
    // web-3 also sits on a link only web-1 reaches: through it, the runner gets there
    const hidden = await lab.fleet.privateLink(lab.fleet.host('web-1'), lab.fleet.host('web-3'));
    const conn = await pool.get({ name: 'web-3', address: { user: 'root', host: hidden, port: 22 }, jump: target(lab.fleet.host('web-1')) });
    expect(conn.seenAs).toMatchObject({ serverAddress: hidden, clientAddress: hidden.replace(/\.2$/, '.1') });
    const r = await conn.exec('cat /proc/net/fib_trie | grep -c 198.18', { timeoutMs: 5000 });
    expect(Number(r.stdout.trim())).toBeGreaterThan(0);
  });

  it('refuses an unreachable host quickly instead of hanging', async () => {
    const t0 = performance.now();
    const e = await SshConnection.open({ name: 'ghost', address: { user: 'root', host: `${lab.fleet.subnet}.99`, port: 22 } }, { credentials: creds, connectTimeoutMs: 1500 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('the lease reverts a paused process on the host when the runner stops renewing', async () => {
    const h = lab.fleet.host('web-2');
    const conn = await SshConnection.open(target(h), { credentials: creds });
    cleanups.push(async () => conn.close());
    const exec = new SshExecutor(conn);
    const redis = (await exec.listProcesses()).find((p) => p.cmdline.startsWith('redis-server'));
    expect(redis).toBeDefined();
    const ref = { pid: redis?.pid as number, startTime: redis?.startTime as string };
    const lease = await RemoteLease.start(conn, { runId: `t${process.pid}`, host: h.name, baseDir: lab.fleet.dir, leaseMs: 1500, deadlineMs: 60_000 });
    await lease.startRenewing(300);
    await lease.addUndo(`kill -CONT ${ref.pid}`);
    expect(await exec.signalIfSame(ref, 'SIGSTOP', { settle: 'stopped' })).toEqual({ sent: true, settled: true });
    // renewals keep it paused well past the lease
    await new Promise((r) => setTimeout(r, 2500));
    expect((await lab.fleet.processes(h, 'redis-server'))[0]?.state).toBe('T');
    // the runner vanishes: no renewals, no revert from this side
    const t0 = performance.now();
    conn.destroy();
    let state = 'T';
    while (state === 'T' && performance.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await lab.fleet.processes(h, 'redis-server'))[0]?.state ?? 'gone';
    }
    const ms = performance.now() - t0;
    expect(state).not.toBe('T');
    expect(ms).toBeLessThan(1500 + 1000 + 500);
    const again = await SshConnection.open(target(h), { credentials: creds });
    cleanups.push(async () => again.close());
    // the watchdog writes its status after the undo returns: the process can resume a moment before that
    const attached = RemoteLease.attach(again, lease.record);
    let status = await attached.status();
    for (let i = 0; i < 40 && status === 'reverting'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await attached.status();
    }
    expect(status).toMatch(/^reverted \d+ lease-expired$/);
  });

  it('the lease reverts when the host is cut off the network, and the renewals say when it no longer holds', async () => {
    const h = lab.fleet.host('web-3');
    const conn = await SshConnection.open(target(h), { credentials: creds, keepaliveMs: 500 });
    cleanups.push(async () => conn.close());
    const exec = new SshExecutor(conn);
    const redis = (await exec.listProcesses()).find((p) => p.cmdline.startsWith('redis-server'));
    const ref = { pid: redis?.pid as number, startTime: redis?.startTime as string };
    const lease = await RemoteLease.start(conn, { runId: `c${process.pid}`, host: h.name, baseDir: lab.fleet.dir, leaseMs: 1500, deadlineMs: 60_000 });
    await lease.startRenewing(300);
    await lease.addUndo(`kill -CONT ${ref.pid}`);
    await exec.signalIfSame(ref, 'SIGSTOP', { settle: 'stopped' });
    cleanups.push(() => lab.fleet.heal(h));
    const t0 = performance.now();
    await lab.fleet.cut(h);
    let state = 'T';
    while (state === 'T' && performance.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await lab.fleet.processes(h, 'redis-server'))[0]?.state ?? 'gone';
    }
    expect(state).not.toBe('T');
    expect(performance.now() - t0).toBeLessThan(1500 + 1000 + 500);
    lease.stopRenewing();
  });
  it('the lease runs an undo exactly as written: a command whose first word contains =, hostile arguments and variables', async () => {
    const h = lab.fleet.host('web-1');
    // the host's /tmp is this directory (ssh-lab.fleet.ts bind-mounts it)
    const tmp = join(lab.fleet.dir, `${h.name}_tmp`);
    writeFileSync(join(tmp, 'x=y.sh'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >/tmp/undo-args\nprintf '%s\\0' "$K" >/tmp/undo-env\n`);
    chmodSync(join(tmp, 'x=y.sh'), 0o755);
    const nasty = `it's "q"; touch /tmp/PWNED\n$(touch /tmp/PWNED) \`touch /tmp/PWNED\` * -x\nFD_UNDO_end`;
    const args = [nasty, 'K=not-a-variable', ''];
    const conn = await SshConnection.open(target(h), { credentials: creds });
    cleanups.push(async () => conn.close());
    const lease = await RemoteLease.start(conn, { runId: `u${process.pid}`, host: h.name, baseDir: '/tmp', leaseMs: 800, deadlineMs: 60_000 });
    await lease.addUndo(undoShell({ kind: 'command', command: ['/tmp/x=y.sh', ...args], env: { K: nasty }, timeoutMs: 5000 }));
    // no renewals: the watchdog runs the undo once the lease runs out
    conn.destroy();
    const t0 = performance.now();
    while (!existsSync(join(tmp, 'undo-env')) && performance.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 50));
    const nul = (f: string): string[] => readFileSync(join(tmp, f), 'utf8').split('\0').slice(0, -1);
    expect(nul('undo-args')).toEqual(args);
    expect(nul('undo-env')).toEqual([nasty]);
    expect(existsSync(join(tmp, 'PWNED'))).toBe(false);
  });

  it('a recipe the runner took back is never replayed, one it did not take back is, and a lease with only taken-back recipes releases', async () => {
    // web-3 is cut off by the test before; web-1's lease dirs are per run
    const h = lab.fleet.host('web-1');
    const tmp = join(lab.fleet.dir, `${h.name}_tmp`);
    const marks = (): string[] => (existsSync(join(tmp, 'marks')) ? readFileSync(join(tmp, 'marks'), 'utf8').split('\n').filter(Boolean) : []);
    const conn = await SshConnection.open(target(h), { credentials: creds });
    cleanups.push(async () => conn.close());
    // released: every recipe taken back (emptied, not deleted), so nothing is pending
    const done = await RemoteLease.start(conn, { runId: `r${process.pid}`, host: h.name, baseDir: '/tmp', leaseMs: 5000, deadlineMs: 60_000 });
    const a = await done.addUndo('echo released-a >>/tmp/marks');
    done.forgetUndo(a);
    await done.removeUndo(await done.addUndo('echo released-b >>/tmp/marks'));
    expect(await done.release()).toBe('released');
    // the runner dies with one recipe taken back and one not: the watchdog runs exactly the other
    const lease = await RemoteLease.start(conn, { runId: `f${process.pid}`, host: h.name, baseDir: '/tmp', leaseMs: 800, deadlineMs: 60_000 });
    const first = await lease.addUndo('echo first >>/tmp/marks');
    const second = await lease.addUndo('echo second >>/tmp/marks');
    await lease.removeUndo(second);
    // taking back what is already gone is no error (the watchdog may have run it and removed it)
    await lease.removeUndo('00000000000000-9999.sh');
    expect(first).not.toBe(second);
    conn.destroy();
    const t0 = performance.now();
    while (!marks().includes('first') && performance.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 50));
    // the second pass (0.3 s later) must not run anything either
    await new Promise((r) => setTimeout(r, 600));
    expect(marks()).toEqual(['first']);
    const again = await SshConnection.open(target(h), { credentials: creds });
    cleanups.push(async () => again.close());
    expect(await RemoteLease.attach(again, lease.record).status()).toMatch(/^reverted \d+ lease-expired$/);
  });

  it('decodes a command\'s output as one UTF-8 stream: a character split between two SSH packets stays whole', async () => {
    const conn = await pool.get(target(lab.fleet.host('web-1')));
    // one ASCII byte, then two-byte characters: the 32 KiB packet borders fall inside a character
    const hundred = 'é'.repeat(100);
    const r = await conn.exec(`printf x; for i in $(seq 600); do printf '${hundred}'; done`, { timeoutMs: 10_000 });
    expect(r.stdout).toBe(`x${hundred.repeat(600)}`);
    const exec = new SshExecutor(conn);
    const probe = await exec.run(['sh', '-c', "printf x; for i in $(seq 800); do printf 'éééééééééééééééééééééééééééééééééééééééééééééééééé'; done"], { env: {}, timeoutMs: 10_000, signal: new AbortController().signal, stdoutLimitBytes: 200_000 });
    expect(probe.stdout).toBe(`x${'é'.repeat(40_000)}`);
  });
});
