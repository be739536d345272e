/**
 * `signal`: send one signal to a process (and to the children it names), each only if it is still
 * the same process (pid + /proc start time). The undo of process-pause (SIGCONT) and of
 * process-signal's `revertSignal`.
 */
import { FiredrillError } from '../../errors.js';
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { signalIfSame, waitUntilStopped, type ProcessRef } from '../signal-process.js';

export type SignalRecipe = {
  kind: 'signal';
  pid: number;
  startTime: string;
  signal: NodeJS.Signals;
  /** more processes that get the same signal first (the paused children of a tree) */
  also?: ProcessRef[];
};

const shortName = (signal: string): string => signal.replace(/^SIG/, '');

export const signalUndo: UndoKind<SignalRecipe> = {
  kind: 'signal',
  example: { kind: 'signal', pid: 4242, startTime: '81234567', signal: 'SIGCONT', also: [{ pid: 4250, startTime: '81234570' }] },
  describe: (recipe) => `send ${recipe.signal} to pid ${[recipe.pid, ...(recipe.also ?? []).map((p) => p.pid)].join(', ')} (if still the same process)`,
  async execute(recipe) {
    const stuck: number[] = [];
    // children first, like the runner's own revert
    for (const ref of [...(recipe.also ?? []), { pid: recipe.pid, startTime: recipe.startTime }]) {
      await signalIfSame(ref, recipe.signal);
      if (recipe.signal === 'SIGCONT' && !(await waitUntilStopped(ref, false))) stuck.push(ref.pid);
    }
    if (stuck.length > 0) throw new FiredrillError('FD_REVERT_FAILED', `still stopped after SIGCONT: pid ${stuck.join(', ')}`, { pids: stuck });
    return signalUndo.describe(recipe);
  },
  manualFix(recipe: SignalRecipe, { host }: ManualFixContext): ManualFix {
    const children = (recipe.also ?? []).map((p) => p.pid);
    const pids = [...children, recipe.pid];
    const commands = pids.map((pid) => `kill -${shortName(recipe.signal)} ${pid}`);
    const checkCommand = `ps -o pid,stat,cmd -p ${pids.join(',')}`;
    if (recipe.signal === 'SIGCONT') {
      return {
        summary: `Resume the paused process on ${host}: send SIGCONT to pid ${recipe.pid}${children.length > 0 ? ` and to its children (pid ${children.join(', ')})` : ''}.`,
        commands,
        check: 'the STAT column no longer shows T (stopped)',
        checkCommand,
      };
    }
    return {
      summary: `Send the revert signal ${recipe.signal} to pid ${pids.join(', ')} on ${host}.`,
      commands,
      check: 'the process is in the state the revert signal puts it in',
      checkCommand,
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { signal: SignalRecipe }
}
