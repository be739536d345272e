/**
 * An undo recipe as the POSIX sh a remote host's lease runs: the same undo the runner would do,
 * guarded the same way (a pid is signalled only while it still names the same process).
 */
import type { UndoRecipe } from '../contract.js';
import { quote } from '../../lease/watchdog-script.js';

/** `kill -SIG pid` only when /proc/pid/stat still shows the recorded start time and no zombie. */
function guardedKill(pid: number, startTime: string, sig: string, group = false): string {
  return `{ read -r s </proc/${pid}/stat 2>/dev/null && s=\${s##*) } && set -- $s && [ "$1" != Z ] && [ "\${20}" = ${startTime} ] && kill -${sig} ${group ? '-' : ''}${pid} 2>/dev/null; true; }`;
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
    case 'command': {
      // names and values are words of their own: nothing from the drill becomes shell code here
      const env = Object.entries(recipe.env).map(([k, v]) => quote(`${k}=${v}`)).join(' ');
      const cmd = Array.isArray(recipe.command) ? recipe.command.map(quote).join(' ') : `sh -c ${quote(recipe.command)}`;
      return env ? `env ${env} ${cmd}` : cmd;
    }
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
