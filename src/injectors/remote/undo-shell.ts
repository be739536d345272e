/**
 * An undo recipe as the POSIX sh a remote host's lease runs: the same undo the runner would do,
 * guarded the same way (a pid is signalled only while it still names the same process).
 *
 * Everything that comes from a drill, a process or a host (commands, variables, names) is a
 * single-quoted word here, and everything spliced in bare (pids, start times, signal names,
 * limits) is checked to be what it claims first: a recipe that cannot be written safely throws
 * (FD_INJECT_FAILED) before the fault acts, never becomes other shell code.
 */
import { FiredrillError } from '../../errors.js';
import type { UndoRecipe } from '../contract.js';
import { quote } from '../../lease/watchdog-script.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(why: string): never {
  throw new FiredrillError('FD_INJECT_FAILED', `cannot hand this undo to a remote host's lease: ${why}`, {});
}

function pidOf(pid: unknown): number {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 2) refuse(`not a pid: ${String(pid)}`);
  return pid;
}

function startTimeOf(startTime: unknown): string {
  if (typeof startTime !== 'string' || !/^\d+$/.test(startTime)) refuse(`not a /proc start time: ${String(startTime)}`);
  return startTime;
}

/** The same-process guard: /proc/pid/stat still shows the recorded start time and no zombie. */
function ifSame(pid: number, startTime: string, then: string): string {
  return `{ read -r s </proc/${pid}/stat 2>/dev/null && s=\${s##*) } && set -- $s && [ "$1" != Z ] && [ "\${20}" = ${startTime} ] && ${then}; true; }`;
}

/** `kill -SIG pid` only when the pid still names the recorded process. */
function guardedKill(pid: unknown, startTime: unknown, sig: string, group = false): string {
  if (!/^[A-Z0-9]+$/.test(sig)) refuse(`not a signal name: ${sig}`);
  const p = pidOf(pid);
  return ifSame(p, startTimeOf(startTime), `kill -${sig} ${group ? '-' : ''}${p} 2>/dev/null`);
}

function limitValue(v: unknown): string {
  if (v === 'unlimited' || (typeof v === 'number' && Number.isInteger(v) && v >= 0)) return String(v);
  return refuse(`not a limit: ${String(v)}`);
}

/**
 * A command with its variables: exported in a subshell (names checked, values quoted), then the
 * command `exec`ed. Not `env K=v cmd`: env reads every leading word with a `=` in it as another
 * variable, so a command whose first word contains `=` (`./x=y.sh`) ran its first *argument*.
 */
function commandShell(command: string | readonly string[], env: Record<string, string>): string {
  const bad = Object.keys(env).filter((k) => !ENV_NAME.test(k));
  if (bad.length > 0) refuse(`variable name${bad.length === 1 ? '' : 's'} ${bad.map((k) => JSON.stringify(k)).join(', ')} cannot be passed to a remote host; use letters, digits and _`);
  const argv = typeof command === 'string' ? ['sh', '-c', command] : [...command];
  if (argv.length === 0) refuse('an empty command');
  const exports = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}; export ${k}; `).join('');
  return `( ${exports}exec ${argv.map(quote).join(' ')} )`;
}

export function undoShell(recipe: UndoRecipe): string {
  switch (recipe.kind) {
    case 'signal': {
      const sig = recipe.signal.replace(/^SIG/, '');
      // children first, like the runner's own revert
      return [...(recipe.also ?? []), { pid: recipe.pid, startTime: recipe.startTime }].map((r) => guardedKill(r.pid, r.startTime, sig)).join('\n');
    }
    case 'kill-process':
      return guardedKill(recipe.pid, recipe.startTime, 'KILL', true);
    case 'open-files-limit': {
      // prlimit on the host, only while the pid is still the process whose limit was lowered
      const pid = pidOf(recipe.pid);
      return ifSame(pid, startTimeOf(recipe.startTime), `prlimit --pid=${pid} --nofile=${limitValue(recipe.soft)}:${limitValue(recipe.hard)}`);
    }
    case 'command':
      // names and values are words of their own: nothing from the drill becomes shell code here
      return commandShell(recipe.command, recipe.env);
    case 'container': {
      // the host's own docker CLI: judged by the state after, like the runner's undo (idempotent)
      const id = quote(recipe.container);
      if (recipe.action === 'unpause') return `docker unpause ${id} >/dev/null 2>&1; s=$(docker inspect -f '{{.State.Paused}}' ${id} 2>/dev/null) || exit 0; [ "$s" != true ]`;
      if (recipe.action === 'start') return `s=$(docker inspect -f '{{.State.Running}}' ${id} 2>/dev/null) || exit 1; [ "$s" = true ] || docker start ${id} >/dev/null`;
      return `docker rm -f ${id} >/dev/null 2>&1; true`;
    }
    case 'none':
      return 'true';
    case 'remote':
      return recipe.shell;
    default:
      // namespace recipes are built for local faults; remote faults never carry them
      return `echo ${quote(`no remote undo for ${recipe.kind}`)} >&2; exit 1`;
  }
}
