/**
 * Stress on a remote host: stress-ng started detached there (setsid: its own session and process
 * group, so one group kill ends every stressor), through the host's executor. The worker writes
 * its pid and start time to a pid file before it becomes stress-ng, so the undo the host's lease
 * holds *before* the worker starts already names it; afterwards the undo names the group itself.
 * stress-ng's own --timeout (duration + grace) ends it even if both runner and lease are gone.
 * CPU workers run below everything on the host, as locally (stress-priority.ts): SCHED_IDLE
 * (`chrt --idle 0`, where the host has chrt and permits it, tried there once per start) and nice
 * 19, so the host's sshd, its control shell and the lease's watchdog are never starved by the
 * load firedrill put there; memory workers keep the normal priority (their memory must be taken).
 */
import { randomBytes } from 'node:crypto';
import { FiredrillError } from '../../errors.js';
import type { Executor } from '../../executors/contract.js';
import { quote } from '../../lease/watchdog-script.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, UndoRecipe } from '../contract.js';
import { LOWEST_NICE } from './stress-priority.js';

/** A worker that dies this soon after start failed to start (bad arguments, missing memory). */
const SETTLE_S = 0.3;
/** How long revert waits for the worker group to be gone. */
const STOP_TIMEOUT_MS = 8000;

/** Sets $st (state), $pg (process group) and $sl (start time) of pid $1; returns 1 when it is gone. */
const STAT_FN = 'stat_of() { read -r s </proc/$1/stat 2>/dev/null || return 1; s=${s##*) }; set -- $s; st=$1; pg=$3; sl=${20}; }';

export interface RemoteStressTools {
  stressNg: boolean;
  taskset: boolean;
  setsid: boolean;
  chrt: boolean;
  nice: boolean;
}

/** Which of the tools a remote stress needs the host has. */
export async function remoteStressTools(executor: Executor): Promise<RemoteStressTools> {
  const r = await executor.sh('for c in stress-ng taskset setsid chrt nice; do command -v $c >/dev/null 2>&1 && echo $c; done; true', { timeoutMs: 10_000 });
  const have = new Set(r.stdout.split('\n').map((l) => l.trim()));
  return { stressNg: have.has('stress-ng'), taskset: have.has('taskset'), setsid: have.has('setsid'), chrt: have.has('chrt'), nice: have.has('nice') };
}

/** What keeps a remote stress from running on this host, or nothing. */
export function remoteToolProblems(host: string, tools: RemoteStressTools): string[] {
  const missing = [!tools.stressNg && 'stress-ng', !tools.setsid && 'setsid (util-linux)'].filter((x): x is string => typeof x === 'string');
  if (missing.length === 0) return [];
  return [`host ${host}: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed there; a resource fault on a remote host runs stress-ng on that host (install it: apt-get install stress-ng)`];
}

/** The CPUs a process on the host may run on (`0-3,6`); undefined for the host itself or when unknown. */
export async function remoteAllowedCpus(executor: Executor, pid: number): Promise<string | undefined> {
  if (!(pid > 0)) return undefined;
  const r = await executor.sh(`sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/${pid}/status 2>/dev/null`, { timeoutMs: 10_000 });
  const list = r.stdout.trim();
  return /^[\d,-]+$/.test(list) ? list : undefined;
}

/** MemAvailable of the host in bytes. */
export async function remoteMemAvailableBytes(executor: Executor): Promise<number> {
  const r = await executor.sh('cat /proc/meminfo', { timeoutMs: 10_000 });
  const kib = /^MemAvailable:\s+(\d+)\s+kB$/m.exec(r.stdout)?.[1];
  if (kib === undefined) throw new FiredrillError('FD_PREFLIGHT_FAILED', `host ${executor.where}: /proc/meminfo has no MemAvailable line`, { host: executor.where });
  return Number(kib) * 1024;
}

/** Kills the worker group named by pid P, start time S: the leader's group if it is still ours, then every member that started with or after it. */
function stopScript(): string {
  return [
    STAT_FN,
    'stat_of $P && [ "$sl" = "$S" ] && kill -KILL -$P 2>/dev/null',
    `i=0; while [ $i -lt ${STOP_TIMEOUT_MS / 20} ]; do`,
    '  alive=0',
    '  for d in /proc/[0-9]*; do',
    '    q=${d#/proc/}; stat_of $q || continue',
    '    [ "$pg" = "$P" ] && [ "$st" != Z ] && [ "$sl" -ge "$S" ] 2>/dev/null || continue',
    '    alive=1; kill -KILL $q 2>/dev/null',
    '  done',
    '  [ $alive = 0 ] && { echo stopped; exit 0; }',
    '  i=$((i + 1)); sleep 0.02 2>/dev/null || sleep 1',
    'done',
    'echo running; exit 1',
  ].join('\n');
}

/** The undo before the worker is known: whatever the pid file names (nothing when it never started). */
function pidFileUndo(pidFile: string): string {
  return [`F=${quote(pidFile)}`, '[ -f "$F" ] || { echo stopped; exit 0; }', 'read -r P S <"$F" || exit 0', 'rm -f "$F"', 'case "$P$S" in ""|*[!0-9]*) exit 0;; esac', stopScript()].join('\n');
}

export interface RemoteStressSpec {
  label: string;
  instance: TargetInstance;
  executor: Executor;
  /** argv on the host: [taskset -c CPUS] stress-ng ARGS */
  argv: string[];
  /** start the worker at the lowest priority (SCHED_IDLE where permitted, nice 19): CPU stress */
  lowestPriority?: boolean;
}

/**
 * Sets $L to the words that start a command at the lowest priority on this host: `chrt --idle 0`
 * where chrt exists and the kernel lets it (tried once), `nice -n 19` where nice exists.
 */
export const LOWEST_PRIORITY_SH = [
  'L=',
  'command -v chrt >/dev/null 2>&1 && chrt --idle 0 true 2>/dev/null && L="chrt --idle 0"',
  `command -v nice >/dev/null 2>&1 && L="$L nice -n ${LOWEST_NICE}"`,
].join('\n');

/** A FaultAction that starts the worker on the host; revert kills its group and waits until it is gone. */
export function remoteStressAction(spec: RemoteStressSpec): FaultAction {
  const pidFile = `/tmp/firedrill-stress-${randomBytes(6).toString('hex')}.pid`;
  let worker: { pid: number; startTime: string } | undefined;
  let starting: Promise<void> | undefined;
  let revertStarted = false;
  const { executor } = spec;
  return {
    label: spec.label,
    instance: spec.instance,
    get undoRecipe(): UndoRecipe {
      return worker ? { kind: 'kill-process', pid: worker.pid, startTime: worker.startTime } : { kind: 'command', command: pidFileUndo(pidFile), env: {}, timeoutMs: STOP_TIMEOUT_MS + 2000 };
    },
    async apply(signal) {
      if (revertStarted) throw new FiredrillError('FD_INJECT_FAILED', `${spec.label}: already reverted, not starting`, {});
      signal.throwIfAborted();
      const script = [
        STAT_FN,
        `F=${quote(pidFile)}`,
        'O=$(mktemp) || exit 125',
        // the worker names itself in the pid file, then becomes stress-ng (same pid, same start time)
        // (a function's own positional parameters, so "$@" still holds the worker's argv at exec)
        ...(spec.lowestPriority ? [LOWEST_PRIORITY_SH] : ['L=']),
        // $L unquoted: fixed words (chrt, nice and their arguments), split on purpose; each execs the next
        `setsid sh -c 'w() { s=\${1##*) }; set -- $s; echo "$$ \${20}"; }; read -r l </proc/$$/stat; w "$l" >"$0.new" && mv "$0.new" "$0"; exec "$@"' "$F" $L ${spec.argv.map(quote).join(' ')} </dev/null >"$O" 2>&1 &`,
        'i=0; while [ ! -f "$F" ] && [ $i -lt 200 ]; do sleep 0.01 2>/dev/null || sleep 1; i=$((i + 1)); done',
        'read -r P S <"$F" 2>/dev/null || { echo "failed: the worker did not start: $(tail -n 1 "$O")"; rm -f "$O"; exit 0; }',
        `sleep ${SETTLE_S} 2>/dev/null || sleep 1`,
        'if stat_of $P && [ "$sl" = "$S" ] && [ "$st" != Z ]; then echo "started $P $S"; else echo "failed: stress-ng exited at once: $(tail -n 1 "$O")"; fi',
        'rm -f "$O"',
      ].join('\n');
      starting = (async () => {
        const r = await executor.sh(script, { timeoutMs: 20_000 });
        const m = /^started (\d+) (\d+)$/m.exec(r.stdout);
        if (!m) throw new FiredrillError('FD_INJECT_FAILED', `host ${executor.where}: ${r.stdout.trim().replace(/^failed: /, '') || r.stderr.trim() || `exit ${String(r.exitCode)}`}`, { host: executor.where });
        worker = { pid: Number(m[1]), startTime: m[2] as string };
      })();
      await starting;
    },
    async revert() {
      revertStarted = true;
      // a start still in flight finishes first (it is bounded), so its worker cannot escape
      await starting?.catch(() => undefined);
      const script = worker ? `rm -f ${quote(pidFile)}\nP=${worker.pid}; S=${worker.startTime}\n${stopScript()}` : pidFileUndo(pidFile);
      const r = await executor.sh(script, { timeoutMs: STOP_TIMEOUT_MS + 5000 });
      if (r.exitCode !== 0 || !r.stdout.includes('stopped')) {
        const pgid = worker ? String(worker.pid) : 'PGID';
        throw new FiredrillError('FD_REVERT_FAILED', `host ${executor.where}: stress worker group ${pgid} is still running ${STOP_TIMEOUT_MS} ms after SIGKILL (${r.stderr.trim() || r.stdout.trim() || `exit ${String(r.exitCode)}`}); kill it by hand: kill -KILL -- -${pgid}`, { host: executor.where });
      }
    },
  };
}
