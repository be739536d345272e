/**
 * The executor for a remote host: every call is one POSIX sh script over the host's multiplexed
 * SSH connection (one round trip), reading /proc on the host. Needs only sh, kill and /proc there.
 */
import { FiredrillError } from '../errors.js';
import type { SshConnection } from '../ssh/connection.js';
import { engineOverStream, type Engine } from '../docker/engine.js';
import { shellQuote } from '../ssh/connection.js';
import type { ProcessInfo } from '../targets/process/candidates.js';
import { parseProcStat } from '../targets/process/proc.js';
import type { Executor, ProcessRef, RunOptions, RunResult, ShOptions, ShResult } from './contract.js';
import { REMOTE_KILL_AFTER_S, remoteRunScript, remoteStopScript, runPidFile, runResultOf } from './remote-run.js';

const SIGNALS = /^SIG[A-Z0-9]+$/;
/** Signals that stop a process: waiting for them to take effect needs a pause between looks. */
const STOPPING = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

/** Sets `$st` (state) and `$sl` (start time) of pid $1, or returns 1 when it is gone. */
const STAT_FN = 'stat_of() { read -r s </proc/$1/stat 2>/dev/null || return 1; s=${s##*) }; set -- $s; st=$1; sl=${20}; }';

export class SshExecutor implements Executor {
  readonly where: string;
  readonly #conn: SshConnection;
  #engine: Promise<Engine> | undefined;

  constructor(conn: SshConnection) {
    this.#conn = conn;
    this.where = conn.target.name;
  }

  get carrier(): { clientAddress: string; clientPort: number; serverPort: number } | undefined {
    const seen = this.#conn.seenAs;
    return seen ? { clientAddress: seen.clientAddress, clientPort: seen.clientPort, serverPort: seen.serverPort } : undefined;
  }

  get connection(): SshConnection {
    return this.#conn;
  }

  sh(script: string, options: ShOptions): Promise<ShResult> {
    return this.#conn.exec(script, options);
  }

  async signalIfSame(ref: ProcessRef, sig: NodeJS.Signals, options: { settle?: 'stopped' | 'running'; cancel?: AbortSignal } = {}): Promise<{ sent: boolean; settled: boolean }> {
    if (!SIGNALS.test(sig)) throw new FiredrillError('FD_INTERNAL', `not a signal name: ${sig}`);
    if (!Number.isInteger(ref.pid) || ref.pid < 2 || !/^\d+$/.test(ref.startTime)) throw new FiredrillError('FD_INTERNAL', `bad process ref ${ref.pid}/${ref.startTime}`);
    if (options.cancel?.aborted) return { sent: false, settled: true };
    if (options.settle !== 'stopped' && !STOPPING.has(sig)) {
      // a revert (SIGCONT) and the other non-stopping signals: in the control shell itself, no fork on the host
      const r = await this.#conn.quickSignal(sig.slice(3), ref.pid, ref.startTime, { timeoutMs: 10_000 });
      const out = r.stdout.trim();
      if (r.exitCode !== 0 || (out !== 'gone' && out !== 'sent settled' && out !== 'sent unsettled')) {
        throw new FiredrillError('FD_INJECT_FAILED', `${this.where}: kill -${sig.slice(3)} ${ref.pid} failed: ${out || `exit ${String(r.exitCode)}`}`, { host: this.where });
      }
      if (out === 'gone') return { sent: false, settled: true };
      return { sent: true, settled: options.settle === undefined || out === 'sent settled' };
    }
    const want = options.settle === 'stopped' ? 'T' : options.settle === 'running' ? 'run' : '';
    const script = [
      STAT_FN,
      `P=${ref.pid}; S=${ref.startTime}`,
      'stat_of $P || { echo gone; exit 0; }',
      '[ "$st" = Z ] || [ "$sl" != "$S" ] && { echo gone; exit 0; }',
      `kill -${sig.slice(3)} $P 2>/dev/null || { echo gone; exit 0; }`,
      want === ''
        ? 'echo sent settled'
        : [
            'i=0; while [ $i -lt 400 ]; do',
            '  stat_of $P || { echo sent settled; exit 0; }',
            '  { [ "$st" = Z ] || [ "$sl" != "$S" ]; } && { echo sent settled; exit 0; }',
            want === 'T' ? '  [ "$st" = T ] && { echo sent settled; exit 0; }' : '  [ "$st" != T ] && { echo sent settled; exit 0; }',
            '  i=$((i + 1)); sleep 0.005 2>/dev/null || sleep 1',
            'done; echo sent unsettled',
          ].join('\n'),
    ].join('\n');
    // the host's control shell: one round trip, no process start there (a revert on 20 hosts at once
    // must not queue 20 logins on a busy machine)
    const r = await this.#conn.quick(script, { timeoutMs: 10_000 });
    const out = r.stdout.trim();
    if (r.exitCode !== 0 || (out !== 'gone' && out !== 'sent settled' && out !== 'sent unsettled')) {
      throw new FiredrillError('FD_INJECT_FAILED', `${this.where}: kill -${sig.slice(3)} ${ref.pid} failed: ${out || `exit ${String(r.exitCode)}`}`, { host: this.where });
    }
    if (out === 'gone') return { sent: false, settled: true };
    return { sent: true, settled: out === 'sent settled' };
  }

  async listProcesses(signal?: AbortSignal): Promise<ProcessInfo[]> {
    const script = [
      'for d in /proc/[0-9]*; do',
      '  read -r st <"$d/stat" 2>/dev/null || continue',
      `  c=$(tr '\\000' ' ' <"$d/cmdline" 2>/dev/null)`,
      `  printf '%s\\t%s\\n' "$st" "$c"`,
      'done',
    ].join('\n');
    const r = await this.#conn.exec(script, { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
    return parseListing(r.stdout);
  }

  async protectedPids(): Promise<Set<number>> {
    // the shell this runs in, and its ancestors: the sshd session that carries the runner itself
    const r = await this.#conn.exec(
      [STAT_FN, 'p=$$; i=0; while [ "$p" -gt 1 ] && [ $i -lt 64 ]; do echo $p; read -r s </proc/$p/stat || break; s=${s##*) }; set -- $s; p=$2; i=$((i + 1)); done'].join('\n'),
      { timeoutMs: 10_000 },
    );
    return new Set(r.stdout.split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number).concat([1]));
  }

  async run(command: string | readonly string[], options: RunOptions): Promise<RunResult> {
    const pidFile = runPidFile();
    const script = remoteRunScript(command, { ...options, pidFile });
    options.signal.throwIfAborted();
    let aborted = false;
    let stopping: Promise<unknown> | undefined;
    // an abort ends the command's group on the host; the script then returns by itself
    const onAbort = (): void => {
      aborted = true;
      stopping = this.#conn.exec(remoteStopScript(pidFile), { timeoutMs: (REMOTE_KILL_AFTER_S + 5) * 1000 }).catch(() => undefined);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const t0 = performance.now();
    try {
      const r = await this.#conn.exec(script, { timeoutMs: options.timeoutMs + (REMOTE_KILL_AFTER_S + 5) * 1000 });
      return runResultOf(r, { aborted, elapsedMs: performance.now() - t0, timeoutMs: options.timeoutMs, captured: options.stdoutLimitBytes !== undefined });
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      await stopping;
    }
  }

  /** The host's Docker engine, each HTTP connection a `docker system dial-stdio` channel on this SSH connection. */
  dockerEngine(): Promise<Engine> {
    this.#engine ??= engineOverStream(`ssh://${this.where} (docker system dial-stdio)`, () => this.#conn.stream('exec docker system dial-stdio'));
    return this.#engine;
  }

  async spawnDetached(script: string, options: { timeoutMs: number }): Promise<number> {
    const r = await this.#conn.exec(
      `if command -v setsid >/dev/null 2>&1; then setsid nohup sh -c ${shellQuote(script)} </dev/null >/dev/null 2>&1 & else nohup sh -c ${shellQuote(script)} </dev/null >/dev/null 2>&1 & fi; echo $!`,
      { timeoutMs: options.timeoutMs },
    );
    const pid = Number(r.stdout.trim());
    if (!(pid > 0)) throw new FiredrillError('FD_INJECT_FAILED', `${this.where}: could not start a detached helper: ${r.stderr.trim()}`, { host: this.where });
    return pid;
  }
}

/** `stat line \t cmdline` per process into ProcessInfo, sorted by pid. */
export function parseListing(text: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const close = line.lastIndexOf(')');
    const tab = line.indexOf('\t', close);
    if (close < 0 || tab < 0) continue;
    const stat = parseProcStat(line.slice(0, tab));
    if (!stat) continue;
    out.push({ pid: stat.pid, ppid: stat.ppid, state: stat.state, startTime: stat.startTime, cmdline: line.slice(tab + 1).replace(/ +$/, '') });
  }
  return out.sort((a, b) => a.pid - b.pid);
}
