/**
 * A drill's command on a remote host, as one POSIX sh script over the host's SSH connection. The
 * command is never spliced into shell code: an argv list is single-quoted word by word and run
 * as it is, a string is handed to `sh -c` as one quoted word (exactly what the local runner does
 * with it), and the drill's variables travel as exported environment variables whose names are
 * checked and whose values are quoted. `timeout` (coreutils, busybox) bounds it and puts it in
 * its own process group; an abort kills that group through a pid file.
 */
import { randomBytes } from 'node:crypto';
import { FiredrillError } from '../errors.js';
import { quote } from '../lease/watchdog-script.js';
import type { RunOptions, RunResult, ShResult } from './contract.js';

/** After TERM at the timeout, the command gets this long before KILL (as locally). */
export const REMOTE_KILL_AFTER_S = 2;
/** What the script keeps of stderr for the message. */
const STDERR_TAIL_BYTES = 2000;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The pid file of one run, in the host's /tmp; an abort reads the process group from it. */
export function runPidFile(): string {
  return `/tmp/firedrill-run-${randomBytes(6).toString('hex')}.pid`;
}

/** The script that runs `command` bounded by `timeoutMs`; exits with the command's status. */
export function remoteRunScript(command: string | readonly string[], options: Pick<RunOptions, 'env' | 'timeoutMs' | 'stdoutLimitBytes'> & { pidFile: string }): string {
  const bad = Object.keys(options.env).filter((k) => !ENV_NAME.test(k));
  if (bad.length > 0) {
    throw new FiredrillError('FD_DRILL_INVALID', `environment variable name${bad.length === 1 ? '' : 's'} ${bad.map((k) => JSON.stringify(k)).join(', ')} cannot be passed to a remote host; use letters, digits and _`, { names: bad });
  }
  const argv = typeof command === 'string' ? ['sh', '-c', command] : [...command];
  const seconds = Math.max(0.001, options.timeoutMs / 1000).toFixed(3);
  const exports = Object.entries(options.env).map(([k, v]) => `${k}=${quote(v)}; export ${k}`);
  const out = options.stdoutLimitBytes === undefined ? '/dev/null' : '"$O"';
  return [
    ...exports,
    `F=${quote(options.pidFile)}`,
    'E=$(mktemp) || exit 125',
    options.stdoutLimitBytes === undefined ? 'O=' : 'O=$(mktemp) || exit 125',
    'command -v timeout >/dev/null 2>&1 || { echo "timeout is not installed on this host" >&2; exit 125; }',
    // timeout makes itself a process group leader, so $! is the group an abort kills
    `timeout -k ${REMOTE_KILL_AFTER_S} ${seconds} ${argv.map(quote).join(' ')} </dev/null >${out} 2>"$E" & p=$!`,
    'echo $p >"$F"',
    'wait $p; rc=$?',
    'rm -f "$F"',
    options.stdoutLimitBytes === undefined ? '' : `head -c ${options.stdoutLimitBytes} "$O"; rm -f "$O"`,
    `tail -c ${STDERR_TAIL_BYTES} "$E" >&2; rm -f "$E"`,
    'exit $rc',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** Ends the run's process group (TERM, then KILL), if the run still holds its pid file. */
export function remoteStopScript(pidFile: string): string {
  return [
    `F=${quote(pidFile)}`,
    'read -r p <"$F" 2>/dev/null || exit 0',
    'case $p in ""|*[!0-9]*) exit 0;; esac',
    // the pid is written right after the fork: until timeout has made itself a group leader there
    // is no group yet, and the process itself is signalled (timeout forks the command only after)
    'kill -TERM -$p 2>/dev/null || kill -TERM $p 2>/dev/null || exit 0',
    `i=0; while [ $i -lt ${REMOTE_KILL_AFTER_S * 20} ] && { kill -0 -$p || kill -0 $p; } 2>/dev/null; do sleep 0.05 2>/dev/null || sleep 1; i=$((i + 1)); done`,
    'kill -KILL -$p 2>/dev/null || kill -KILL $p 2>/dev/null; true',
  ].join('\n');
}

/** The script's end as a RunResult: 124/137 from timeout mean it ran out of time, 126/127 that it could not start. */
export function runResultOf(r: ShResult, how: { aborted: boolean; elapsedMs: number; timeoutMs: number; captured: boolean }): RunResult {
  const stderrLastLine = lastLine(r.stderr);
  const base: RunResult = { exitCode: r.exitCode, signal: null, timedOut: false, aborted: how.aborted, stderrLastLine, ...(how.captured ? { stdout: r.stdout } : {}) };
  if (how.aborted) return { ...base, exitCode: null };
  if ((r.exitCode === 124 || r.exitCode === 137) && how.elapsedMs >= how.timeoutMs * 0.9) return { ...base, exitCode: null, timedOut: true };
  if (r.exitCode === 125 || r.exitCode === 126 || r.exitCode === 127) return { ...base, spawnError: new Error(stderrLastLine || (r.exitCode === 127 ? 'command not found' : 'cannot run')) };
  return base;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}
