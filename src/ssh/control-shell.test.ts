import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlShell } from './control-shell.js';
import { missing } from '../../test/support/components.js';

/** A local process standing in for the host's channel (same bytes in and out as over SSH). */
function channelOf(children: ChildProcess[], start: (script: string) => ChildProcess): (script: string) => Promise<ClientChannel> {
  return (script) => {
    const child = start(script);
    children.push(child);
    const channel = Object.assign(new EventEmitter(), {
      stderr: child.stderr,
      write: (text: string) => child.stdin!.write(text),
      close: () => child.kill('SIGKILL'),
    });
    child.stdout!.on('data', (d: Buffer) => channel.emit('data', d));
    child.on('close', () => channel.emit('close'));
    return Promise.resolve(channel as unknown as ClientChannel);
  };
}

/** A local `sh`. */
function localChannel(children: ChildProcess[]): (script: string) => Promise<ClientChannel> {
  return channelOf(children, (script) => spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** The same, under `strace -f`: every fork and exec of the shell lands in `log`. */
function tracedChannel(children: ChildProcess[], log: string): (script: string) => Promise<ClientChannel> {
  return channelOf(children, (script) => spawn('strace', ['-f', '-qq', '-e', 'trace=fork,vfork,clone,clone3,execve', '-o', log, 'sh', '-c', script], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

const noStrace = missing({ commands: ['strace'] });

describe('ControlShell', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('runs scripts in order on one shell and returns each one its own output and status', async () => {
    const shell = new ControlShell('h', localChannel(children));
    const results = await Promise.all([
      shell.run('echo one; echo "$$" >/dev/null', { timeoutMs: 5000 }),
      shell.run('printf "no newline"', { timeoutMs: 5000 }),
      shell.run('echo to stderr >&2; exit 3', { timeoutMs: 5000 }),
      shell.run('for i in 1 2 3; do\n  echo "line $i"\ndone', { timeoutMs: 5000 }),
    ]);
    expect(results.map((r) => [r.stdout, r.exitCode])).toEqual([
      ['one\n', 0],
      ['no newline', 0],
      ['to stderr\n', 3],
      ['line 1\nline 2\nline 3\n', 0],
    ]);
    expect(children).toHaveLength(1);
    shell.close();
  });

  it('keeps its protocol when a script prints something that looks like an end line or reads stdin', async () => {
    const shell = new ControlShell('h', localChannel(children));
    const a = await shell.run('echo; echo "FD-0000 1 0"; cat', { timeoutMs: 5000 });
    const b = await shell.run('echo after', { timeoutMs: 5000 });
    expect(a).toMatchObject({ stdout: '\nFD-0000 1 0\n', exitCode: 0 });
    expect(b).toMatchObject({ stdout: 'after\n', exitCode: 0 });
    shell.close();
  });

  it('a script past its timeout fails alone: the shell is replaced and the next script runs on a new one', async () => {
    const shell = new ControlShell('h', localChannel(children));
    const slow = shell.run('sleep 5; echo late', { timeoutMs: 200 });
    const next = shell.run('echo next', { timeoutMs: 5000 });
    await expect(slow).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    await expect(next).resolves.toMatchObject({ stdout: 'next\n', exitCode: 0 });
    expect(children).toHaveLength(2);
    shell.close();
  });

  it('fails every waiting script when the connection closes, and refuses new ones', async () => {
    const shell = new ControlShell('h', localChannel(children));
    const running = shell.run('sleep 5', { timeoutMs: 10_000 });
    const queued = shell.run('echo never', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    shell.close();
    await expect(running).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    await expect(queued).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    await expect(shell.run('true', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
  });

  it('a shell that dies mid-script fails that script and the next one gets a new shell', async () => {
    const shell = new ControlShell('h', localChannel(children));
    await expect(shell.run('kill -KILL $$', { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'FD_HOST_UNREACHABLE' });
    await expect(shell.run('echo again', { timeoutMs: 5000 })).resolves.toMatchObject({ stdout: 'again\n' });
    shell.close();
  });
  it('keeps a UTF-8 character whole when the channel delivers it in two chunks', async () => {
    // the shell's output reaches the runner one byte per chunk: every multi-byte character is split
    const shell = new ControlShell('h', (script) => {
      const channel = localChannel(children)(script);
      return channel.then((c) => {
        const original = c.emit.bind(c);
        c.emit = ((event: string, ...args: unknown[]) => {
          if (event !== 'data') return original(event, ...args);
          for (const byte of args[0] as Buffer) original('data', Buffer.from([byte]));
          return true;
        }) as typeof c.emit;
        return c;
      });
    });
    await expect(shell.run("printf 'é€😀'", { timeoutMs: 5000 })).resolves.toMatchObject({ stdout: 'é€😀', exitCode: 0 });
    shell.close();
  });
  it('signals in the shell itself: only the recorded process, answered in order with the scripts around it', async () => {
    const shell = new ControlShell('h', localChannel(children));
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const pid = sleeper.pid as number;
    const stat = (): string[] => (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    await new Promise((r) => setTimeout(r, 50));
    const startTime = stat()[19] as string;
    process.kill(pid, 'SIGSTOP');
    for (let i = 0; i < 100 && stat()[0] !== 'T'; i++) await new Promise((r) => setTimeout(r, 10));
    const [before, wrong, right, after] = await Promise.all([
      shell.run('echo before', { timeoutMs: 5000 }),
      shell.signal('CONT', pid, String(Number(startTime) + 1), { timeoutMs: 5000 }),
      shell.signal('CONT', pid, startTime, { timeoutMs: 5000 }),
      shell.run('echo after', { timeoutMs: 5000 }),
    ]);
    expect([before.stdout, wrong.stdout, right.stdout, after.stdout]).toEqual(['before\n', 'gone', 'sent settled', 'after\n']);
    expect(stat()[0]).not.toBe('T');
    await expect(shell.signal('CONT;reboot', pid, startTime, { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'FD_INTERNAL' });
    // still one shell: the signals started no process of their own there
    expect(children.filter((c) => c !== sleeper)).toHaveLength(1);
    shell.close();
  });

  it('empties a file in the shell itself: never creates one, refuses a path that is not one plain word', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-cs-'));
    try {
      const shell = new ControlShell('h', localChannel(children));
      writeFileSync(join(dir, 'a.sh'), 'kill -CONT 1234\n');
      const [forgot, absent, after] = await Promise.all([
        shell.truncate(join(dir, 'a.sh'), { timeoutMs: 5000 }),
        shell.truncate(join(dir, 'b.sh'), { timeoutMs: 5000 }),
        shell.run('echo after', { timeoutMs: 5000 }),
      ]);
      expect([forgot.stdout, absent.stdout, after.stdout]).toEqual(['forgot', 'absent', 'after\n']);
      expect(readFileSync(join(dir, 'a.sh'), 'utf8')).toBe('');
      expect(existsSync(join(dir, 'b.sh'))).toBe(false);
      for (const bad of [`${dir}/a.sh; reboot`, `${dir}/*.sh`, `${dir}/../x`, 'relative.sh', `${dir}/$(id)`]) {
        await expect(shell.truncate(bad, { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'FD_INTERNAL' });
      }
      shell.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(noStrace)('forgetting a recipe starts no process on the host: no fork, no exec (a script step does both)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-cs-'));
    const log = join(dir, 'strace.log');
    try {
      const shell = new ControlShell('h', tracedChannel(children, log));
      // the shell is up (its own exec is in the log) before anything is counted
      await shell.run('true', { timeoutMs: 10_000 });
      const forks = (): number => readFileSync(log, 'utf8').split('\n').filter((l) => /\b(clone3?|v?fork)\(/.test(l)).length;
      const execs = (): number => readFileSync(log, 'utf8').split('\n').filter((l) => /\bexecve\(/.test(l)).length;
      const [f0, e0] = [forks(), execs()];
      for (let i = 0; i < 5; i++) {
        writeFileSync(join(dir, `${i}.sh`), 'kill -CONT 1234\n');
        expect((await shell.truncate(join(dir, `${i}.sh`), { timeoutMs: 5000 })).stdout).toBe('forgot');
      }
      expect([forks() - f0, execs() - e0]).toEqual([0, 0]);
      // the measure sees a process start when there is one: what forgetting cost before (rm in a script)
      await shell.run(`rm -f ${join(dir, '0.sh')}`, { timeoutMs: 5000 });
      expect(forks() - f0).toBeGreaterThan(0);
      expect(execs() - e0).toBeGreaterThan(0);
      shell.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
