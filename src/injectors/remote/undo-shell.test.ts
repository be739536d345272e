import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandText } from '../../values/command-text.js';
import { undoShell } from './undo-shell.js';

/** Hostile text: quotes, a newline, `;`, `$()`, backticks, a glob and a leading dash. */
const NASTY = `it's "q"; touch PWNED\n$(touch PWNED) \`touch PWNED\` * -x`;

describe('undoShell: what a remote lease runs, under a real sh', () => {
  let dir: string;
  let recorder: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-undo-shell-'));
    // a program whose own name contains `=`: it records its argv and two variables, NUL-separated
    recorder = join(dir, 'x=y.sh');
    writeFileSync(recorder, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >"${dir}/args"\nprintf '%s\\0%s\\0' "$K" "$L" >"${dir}/env"\n`);
    chmodSync(recorder, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sh = (script: string): number => spawnSync('sh', ['-c', script], { cwd: dir, stdio: 'ignore' }).status ?? -1;
  const nul = (file: string): string[] => readFileSync(join(dir, file), 'utf8').split('\0').slice(0, -1);

  it('runs a command recipe whose first word contains = with its exact argv and variables', () => {
    const args = [NASTY, 'K=not-a-variable', '--', ''];
    const script = undoShell({ kind: 'command', command: [recorder, ...args], env: { K: NASTY, L: 'a=b' }, timeoutMs: 5000 });
    expect(sh(script)).toBe(0);
    expect(nul('args')).toEqual(args);
    expect(nul('env')).toEqual([NASTY, 'a=b']);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('hands a string command to sh -c as one word, with its variables', () => {
    const script = undoShell({ kind: 'command', command: `printf '%s' "$K" >out`, env: { K: NASTY }, timeoutMs: 5000 });
    expect(sh(script)).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(NASTY);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('refuses what it cannot write safely instead of splicing it into the script', () => {
    expect(() => undoShell({ kind: 'command', command: ['true'], env: { 'A;touch PWNED': 'x' }, timeoutMs: 5000 })).toThrow(/variable name/);
    expect(() => undoShell({ kind: 'signal', pid: 1234, startTime: '1$(touch PWNED)', signal: 'SIGCONT' })).toThrow(/start time/);
    expect(() => undoShell({ kind: 'signal', pid: 1234, startTime: '99', signal: 'SIGCONT;touch' as NodeJS.Signals })).toThrow(/signal/);
    expect(() => undoShell({ kind: 'kill-process', pid: -1, startTime: '99' })).toThrow(/pid/);
    expect(() => undoShell({ kind: 'open-files-limit', pid: 1234, startTime: '99', soft: '1;reboot' as unknown as number, hard: 'unlimited' })).toThrow(/limit/);
  });

  it('signals a process only while its pid still has the recorded start time', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid as number;
    try {
      const startTime = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ')[19] as string;
      expect(sh(undoShell({ kind: 'signal', pid, startTime: String(Number(startTime) + 1), signal: 'SIGKILL' }))).toBe(0);
      expect(existsSync(`/proc/${pid}`)).toBe(true);
      expect(sh(undoShell({ kind: 'signal', pid, startTime, signal: 'SIGKILL' }))).toBe(0);
      for (let i = 0; i < 100 && existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'); i++) execFileSync('sleep', ['0.02']);
      expect(!existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')).toBe(true);
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
});

describe('commandText', () => {
  it('quotes a first word that a shell would take for a variable', () => {
    expect(commandText(['X=y.sh', 'a=b'])).toBe(`'X=y.sh' a=b`);
    expect(commandText(['./x=y.sh'])).toBe('./x=y.sh');
  });
});
