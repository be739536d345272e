/**
 * Targets against real processes: resolving processes that already run (match, pid, pidFile, port)
 * and starting, stopping and restarting runner-managed ones.
 *
 * The resolver never returns descendants of the process that resolves (those are the runner's own
 * helpers), so processes to be resolved are started as orphans: a shell starts them in the
 * background and exits, and they are re-parented away from this test process.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FiredrillError } from '../../src/errors.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { ResolveContext } from '../../src/targets/contract.js';
import { ManagedProcess, type StartSpec } from '../../src/targets/managed/managed-process.js';
import { ManagedTargets } from '../../src/targets/managed/managed-targets.js';
import { descendantsOf, isSameProcess, listPids, readCmdline, readProcStat } from '../../src/targets/process/proc.js';
import { resolveProcess } from '../../src/targets/process/resolve-process.js';

const run = promisify(execFile);
const NODE = process.execPath;

let dir = '';
let serverScript = '';
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-targets-'));
  serverScript = join(dir, 'server.mjs');
  // argv: port [host]; LISTEN_DELAY_MS delays the listen; SIGTERM prints a line, so a test can tell a graceful stop from SIGKILL
  await writeFile(
    serverScript,
    `import { createServer } from 'node:http';
const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
process.on('SIGTERM', () => { console.log('graceful shutdown'); process.exit(0); });
setTimeout(() => {
  createServer((req, res) => res.end('ok')).listen(port, host, () => console.log('listening on ' + port));
}, Number(process.env.LISTEN_DELAY_MS ?? 0));
`,
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  // newest first, and every cleanup runs even if one fails
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (e) {
      console.warn('cleanup failed', e);
    }
  }
});

function ctx(protectedPids: Iterable<number> = [], signal = new AbortController().signal): ResolveContext {
  return { signal, protectedPids: new Set(protectedPids) };
}

function marker(): string {
  // a unique, valid `sleep` argument: 3000 s plus a random fraction
  return `3000.${Math.floor(Math.random() * 1e9)}`;
}

/** Polls `cond` every 25 ms for at most `ms`. */
async function waitFor(cond: () => Promise<boolean> | boolean, ms = 5000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await cond()) return true;
    await sleep(25);
  }
  return cond();
}

/** Kills `pid` only if it is still the same process (guards against a reused pid). */
async function killIfSame(pid: number, startTime: string | undefined): Promise<void> {
  if (startTime !== undefined && (await isSameProcess(pid, startTime))) process.kill(pid, 'SIGKILL');
}

/** Starts `argv` as an orphan (not a descendant of this test) and returns its pid; killed after the test. */
async function startOrphan(argv: string[]): Promise<number> {
  const owned: { pid: number; startTime: string | undefined }[] = [];
  cleanups.push(async () => {
    for (const o of owned) {
      // its children too (e.g. the sleep of `sh -c "sleep & wait"`), found before the parent dies
      const children = await descendantsOf(o.pid);
      await killIfSame(o.pid, o.startTime);
      for (const c of children) await killIfSame(c.pid, c.startTime);
    }
  });
  const { stdout } = await run('/bin/sh', ['-c', '"$@" </dev/null >/dev/null 2>&1 & echo $!', 'sh', ...argv]);
  const pid = Number(stdout.trim());
  owned.push({ pid, startTime: (await readProcStat(pid))?.startTime });
  // the shell has exited, so the orphan is no longer our descendant once it has been re-parented
  expect(await waitFor(async () => (await readProcStat(pid))?.ppid !== process.pid)).toBe(true);
  return pid;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

/** Pids whose command line contains `text` (the resolver would skip our own descendants). */
async function pidsWithCommandLine(text: string): Promise<number[]> {
  const pids = await listPids();
  const lines = await Promise.all(pids.map(readCmdline));
  return pids.filter((_, i) => lines[i]?.includes(text));
}

/**
 * True while a non-zombie process is in group `pgid`. Zombies do not count: pid 1 on some machines
 * (this VM's init among them) reaps orphans only every few seconds.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  const stats = await Promise.all((await listPids()).map(readProcStat));
  return stats.some((s) => s?.pgrp === pgid && s.state !== 'Z');
}

describe('resolveProcess', () => {
  it('finds a running process by a substring of its command line, with its identity', async () => {
    const m = marker();
    const pid = await startOrphan(['sleep', m]);
    const res = await resolveProcess({ match: `sleep ${m}` }, ctx());
    const stat = await readProcStat(pid);
    expect(res.instances).toEqual([{ id: String(pid), pid, startTime: stat?.startTime, command: `sleep ${m}`, managed: false }]);
    expect(res.resolvedBy).toBe(`command line matches "sleep ${m}"`);
  });

  it('treats a match written with slashes as a regular expression', async () => {
    const m = marker();
    const pid = await startOrphan(['sleep', m]);
    const res = await resolveProcess({ match: `/^SLEEP ${m.replace('.', '\\.')}$/i` }, ctx());
    expect(res.instances.map((i) => i.pid)).toEqual([pid]);
    expect(res.resolvedBy).toContain('/i');
  });

  it('returns every match sorted by pid', async () => {
    const m = marker();
    const pids = [await startOrphan(['sleep', m]), await startOrphan(['sleep', m]), await startOrphan(['sleep', m])];
    const res = await resolveProcess({ match: m }, ctx());
    expect(res.instances.map((i) => i.pid)).toEqual([...pids].sort((a, b) => a - b));
  });

  it('never returns a protected process or its descendants', async () => {
    const m = marker();
    const shell = await startOrphan(['/bin/sh', '-c', `sleep ${m} & wait`]);
    expect(await waitFor(async () => (await descendantsOf(shell)).length === 1)).toBe(true);
    const unprotected = await resolveProcess({ match: m }, ctx());
    expect(unprotected.instances).toHaveLength(2);
    const res = await resolveProcess({ match: m }, ctx([shell]));
    expect(res.instances).toEqual([]);
  });

  it('never returns the resolving process itself or the processes it started', async () => {
    const m = marker();
    const child = execFile('sleep', [m]);
    cleanups.push(() => child.kill('SIGKILL'));
    expect(await waitFor(async () => (await pidsWithCommandLine(`sleep ${m}`)).length === 1)).toBe(true);
    expect((await resolveProcess({ match: m }, ctx())).instances).toEqual([]);
    expect((await resolveProcess({ pid: process.pid }, ctx())).resolvedBy).toMatch(/refused: .*runner/);
  });

  it('never returns pid 1, kernel threads or processes without a command line', async () => {
    const res = await resolveProcess({ match: '/.*/' }, ctx());
    expect(res.instances.length).toBeGreaterThan(0);
    expect(res.instances.some((i) => i.pid === 1 || i.command === '' || i.pid === process.pid)).toBe(false);
    expect((await resolveProcess({ pid: 2 }, ctx())).resolvedBy).toMatch(/kernel thread/);
    expect((await resolveProcess({ pid: 1 }, ctx())).resolvedBy).toMatch(/pid 1 is never a target/);
  });

  it('refuses a zombie named by pid', async () => {
    // the exec'd sleep never reaps its background child, which stays a zombie
    const parent = await startOrphan(['/bin/sh', '-c', `sleep 0 & exec sleep ${marker()}`]);
    let zombie: number | undefined;
    expect(
      await waitFor(async () => {
        zombie = (await descendantsOf(parent)).find((s) => s.state === 'Z')?.pid;
        return zombie !== undefined;
      }),
    ).toBe(true);
    const res = await resolveProcess({ pid: zombie as number }, ctx());
    expect(res.instances).toEqual([]);
    expect(res.resolvedBy).toMatch(/zombie/);
  });

  it('resolves a pid that runs and reports one that does not', async () => {
    const pid = await startOrphan(['sleep', marker()]);
    expect((await resolveProcess({ pid }, ctx())).instances.map((i) => i.pid)).toEqual([pid]);
    // a child of ours is reaped at once, so its pid is really gone (an orphan would linger as a zombie)
    const child = execFile('true');
    await new Promise((resolve) => child.once('exit', resolve));
    const gone = await resolveProcess({ pid: child.pid as number }, ctx());
    expect(gone.instances).toEqual([]);
    expect(gone.resolvedBy).toBe(`pid ${child.pid} (not running)`);
  });

  it('reads the pid from a pid file, and says why when it cannot', async () => {
    const pid = await startOrphan(['sleep', marker()]);
    const pidFile = join(dir, `svc-${pid}.pid`);
    cleanups.push(() => rm(pidFile, { force: true }));
    await writeFile(pidFile, `${pid}\n`);
    const res = await resolveProcess({ pidFile }, ctx());
    expect(res.instances.map((i) => i.pid)).toEqual([pid]);
    expect(res.resolvedBy).toBe(`pid ${pid} from ${pidFile}`);

    const missing = await resolveProcess({ pidFile: join(dir, 'nope.pid') }, ctx());
    expect(missing.instances).toEqual([]);
    expect(missing.resolvedBy).toMatch(/cannot be read: ENOENT/);

    await writeFile(pidFile, 'not a pid');
    expect((await resolveProcess({ pidFile }, ctx())).resolvedBy).toMatch(/does not hold a pid/);
  });

  it('finds the process listening on a TCP port over IPv4', async () => {
    const port = await freePort();
    const pid = await startOrphan([NODE, serverScript, String(port), '127.0.0.1']);
    expect(await waitFor(() => canConnect(port))).toBe(true);
    const res = await resolveProcess({ port }, ctx());
    expect(res.instances.map((i) => i.pid)).toEqual([pid]);
    expect(res.resolvedBy).toBe(`listening on TCP port ${port}`);
  });

  it('finds the process listening on a TCP port over IPv6', async () => {
    const port = await freePort();
    const pid = await startOrphan([NODE, serverScript, String(port), '::1']);
    expect(await waitFor(() => canConnect(port, '::1'))).toBe(true);
    expect((await resolveProcess({ port }, ctx())).instances.map((i) => i.pid)).toEqual([pid]);
  });

  it('finds nobody on a port that nothing listens on', async () => {
    const port = await freePort();
    expect((await resolveProcess({ port }, ctx())).instances).toEqual([]);
  });

  it('stops when its signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('operator stopped the run'));
    await expect(resolveProcess({ match: 'sleep' }, ctx([], ac.signal))).rejects.toThrow('operator stopped the run');
  });
});

function startSpec(partial: Partial<StartSpec> & Pick<StartSpec, 'command'>): StartSpec {
  return { env: {}, stopSignal: 'SIGTERM', stopTimeout: 5000, ...partial };
}

function managed(name: string, spec: StartSpec, baseDir = dir): ManagedProcess {
  const mp = new ManagedProcess(name, spec, { baseDir, logger: silentLogger() });
  cleanups.push(() => mp.stop());
  return mp;
}

async function startError(p: Promise<unknown>): Promise<FiredrillError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FiredrillError);
  return e as FiredrillError;
}

function never(): AbortSignal {
  return new AbortController().signal;
}

describe('ManagedProcess', () => {
  it('starts a server, waits for its HTTP readiness, and stops it', async () => {
    const port = await freePort();
    const mp = managed('web', startSpec({ command: [NODE, serverScript, String(port)], ready: { http: `http://127.0.0.1:${port}/`, timeout: 10_000 } }));
    const instance = await mp.start(never());
    expect(instance).toMatchObject({ id: `web/pid:${instance.pid}`, managed: true });
    expect(instance.command).toContain(serverScript);
    expect(await isSameProcess(instance.pid, instance.startTime)).toBe(true);
    expect(mp.instance).toEqual(instance);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');

    await mp.stop();
    expect(await isSameProcess(instance.pid, instance.startTime)).toBe(false);
    expect(await groupAlive(instance.pid)).toBe(false);
    await expect(mp.stop()).resolves.toBeUndefined();
  });

  it('runs it in its own process group, so a Ctrl-C in the terminal does not reach it', async () => {
    const mp = managed('sleeper', startSpec({ command: ['sleep', marker()] }));
    const instance = await mp.start(never());
    const [target, self] = await Promise.all([readProcStat(instance.pid), readProcStat(process.pid)]);
    expect(target?.pgrp).toBe(instance.pid);
    expect(target?.pgrp).not.toBe(self?.pgrp);
  });

  it('fails with the exit code and the last output when the process exits before it is ready', async () => {
    const port = await freePort();
    const mp = managed(
      'broken',
      startSpec({
        command: [NODE, '-e', "console.log('loading /etc/shop.yaml'); console.error('config file missing'); process.exit(3)"],
        ready: { http: `http://127.0.0.1:${port}/`, timeout: 10_000 },
      }),
    );
    const e = await startError(mp.start(never()));
    expect(e.code).toBe('FD_TARGET_START_FAILED');
    expect(e.message).toContain('exited with code 3');
    expect(e.message).toContain('config file missing');
    expect(e.message).toContain('loading /etc/shop.yaml');
    expect(e.details).toMatchObject({ exitCode: 3, timedOut: false });
    expect(mp.instance).toBeUndefined();
  });

  it('fails when the command cannot be run at all', async () => {
    const mp = managed('typo', startSpec({ command: [join(dir, 'no-such-binary')] }));
    const e = await startError(mp.start(never()));
    expect(e.code).toBe('FD_TARGET_START_FAILED');
    expect(e.message).toMatch(/could not run .*ENOENT/);
  });

  it('kills the process when it is not ready in time', async () => {
    const port = await freePort();
    const mp = managed('slow', startSpec({ command: [NODE, '-e', 'setInterval(() => {}, 1000)'], ready: { tcp: `127.0.0.1:${port}`, timeout: 500 } }));
    const e = await startError(mp.start(never()));
    expect(e.code).toBe('FD_TARGET_START_FAILED');
    expect(e.message).toMatch(/not ready within 500ms \(tcp 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(e.details.timedOut).toBe(true);
    const pid = e.details.pid;
    expect(typeof pid).toBe('number');
    expect(await readProcStat(pid as number)).toBeUndefined();
    expect(await groupAlive(pid as number)).toBe(false);
  });

  it('waits for a log line, in the configured cwd and with the configured env', async () => {
    await mkdir(join(dir, 'svc'), { recursive: true });
    const script = "setTimeout(() => console.log('cwd=' + process.cwd() + ' greeting=' + process.env.GREETING + ' ready'), 300); setInterval(() => {}, 1000)";
    const mp = managed('logger', startSpec({ command: [NODE, '-e', script], cwd: 'svc', env: { GREETING: 'hello' }, ready: { log: 'greeting=\\w+ ready$', timeout: 10_000 } }));
    await mp.start(never());
    // start resolved only after the line was printed
    expect(mp.recentOutput()).toBe(`cwd=${join(dir, 'svc')} greeting=hello ready`);
  });

  it('resumes a paused process so it can stop gracefully', async () => {
    const port = await freePort();
    const mp = managed('paused', startSpec({ command: [NODE, serverScript, String(port)], ready: { tcp: `127.0.0.1:${port}`, timeout: 10_000 }, stopTimeout: 30_000 }));
    const instance = await mp.start(never());
    process.kill(instance.pid, 'SIGSTOP');
    expect(await waitFor(async () => (await readProcStat(instance.pid))?.state === 'T')).toBe(true);
    await mp.stop();
    expect(await isSameProcess(instance.pid, instance.startTime)).toBe(false);
    // the SIGTERM handler ran, so it was resumed rather than killed after the 30 s stop timeout
    expect(mp.recentOutput()).toContain('graceful shutdown');
  });

  it('kills a process that ignores the stop signal once the stop timeout passes', async () => {
    const mp = managed('stubborn', startSpec({ command: [NODE, '-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('up')"], ready: { log: 'up', timeout: 10_000 }, stopTimeout: 1000 }));
    const instance = await mp.start(never());
    await mp.stop();
    expect(await isSameProcess(instance.pid, instance.startTime)).toBe(false);
    expect(mp.recentOutput()).toContain('ignoring SIGTERM');
  });

  it('restarts with a new pid and the old process gone', async () => {
    const port = await freePort();
    const mp = managed('again', startSpec({ command: [NODE, serverScript, String(port)], ready: { http: `http://127.0.0.1:${port}/`, timeout: 10_000 } }));
    const first = await mp.start(never());
    const second = await mp.restart(never());
    expect(second.pid).not.toBe(first.pid);
    expect(await isSameProcess(first.pid, first.startTime)).toBe(false);
    expect(await isSameProcess(second.pid, second.startTime)).toBe(true);
    expect(mp.owns(first) && mp.owns(second)).toBe(true);
  });

  it('restarts a target that was killed', async () => {
    const port = await freePort();
    const mp = managed('killed', startSpec({ command: [NODE, serverScript, String(port)], ready: { http: `http://127.0.0.1:${port}/`, timeout: 10_000 } }));
    const first = await mp.start(never());
    process.kill(first.pid, 'SIGKILL');
    const second = await mp.restart(never());
    expect(second.pid).not.toBe(first.pid);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
  });

  it('targets the real server, not the shell, for a string command, and stops both', async () => {
    const port = await freePort();
    const mp = managed('shell', startSpec({ command: `cd ${JSON.stringify(dir)} && ${JSON.stringify(NODE)} server.mjs ${port}`, ready: { http: `http://127.0.0.1:${port}/`, timeout: 10_000 } }));
    const instance = await mp.start(never());
    expect(await readCmdline(instance.pid)).toContain('server.mjs');
    const stat = await readProcStat(instance.pid);
    expect(stat?.pgrp).not.toBe(instance.pid);
    const shellPid = stat?.pgrp as number;
    expect(await readCmdline(shellPid)).toMatch(/^\/bin\/sh -c/);
    await mp.stop();
    expect(await groupAlive(shellPid)).toBe(false);
  });

  it('refuses to start when something else already answers its readiness check', async () => {
    const port = await freePort();
    const occupant: Server = createServer((s) => s.end());
    cleanups.push(() => new Promise((resolve) => occupant.close(resolve)));
    await new Promise<void>((resolve) => occupant.listen(port, '127.0.0.1', resolve));
    const m = marker();
    const mp = managed('late', startSpec({ command: ['sleep', m], ready: { tcp: `127.0.0.1:${port}`, timeout: 5000 } }));
    const e = await startError(mp.start(never()));
    expect(e.message).toMatch(/something else already answers tcp 127\.0\.0\.1:\d+/);
    expect(await pidsWithCommandLine(`sleep ${m}`)).toEqual([]);
  });

  it('stops the process when the caller aborts the start', async () => {
    const port = await freePort();
    const m = marker();
    const mp = managed('aborted', startSpec({ command: ['sleep', m], ready: { tcp: `127.0.0.1:${port}`, timeout: 30_000 } }));
    const ac = new AbortController();
    const starting = mp.start(ac.signal);
    expect(await waitFor(async () => (await pidsWithCommandLine(`sleep ${m}`)).length === 1)).toBe(true);
    ac.abort(new Error('operator pressed Ctrl-C'));
    await expect(starting).rejects.toThrow('operator pressed Ctrl-C');
    expect(await pidsWithCommandLine(`sleep ${m}`)).toEqual([]);
  });
});

describe('ManagedTargets', () => {
  it('knows its instances, restarts them, and stops all of them', async () => {
    const targets = new ManagedTargets();
    const a = managed('a', startSpec({ command: ['sleep', marker()] }));
    const b = managed('b', startSpec({ command: ['sleep', marker()] }));
    targets.add('a', a);
    targets.add('b', b);
    const ia = await a.start(never());
    const ib = await b.start(never());
    expect(targets.get('a')).toBe(a);
    expect(targets.isManaged(ia)).toBe(true);
    expect(targets.isManaged({ ...ib, pid: 999_999_99 })).toBe(false);

    const fresh = await targets.restart(ia, never());
    expect(fresh.pid).not.toBe(ia.pid);
    expect(targets.isManaged(fresh) && targets.isManaged(ia)).toBe(true);

    expect(await targets.stopAll()).toEqual({ stopped: ['a', 'b'], failed: [] });
    expect(await isSameProcess(fresh.pid, fresh.startTime)).toBe(false);
    expect(await isSameProcess(ib.pid, ib.startTime)).toBe(false);
  });

  it('refuses to restart a process it did not start', async () => {
    const targets = new ManagedTargets();
    const foreign = { id: '1234', pid: 1234, startTime: '1', command: 'x', managed: false };
    await expect(targets.restart(foreign, never())).rejects.toThrow(/not a runner-managed target/);
  });
});
