/** `open-files-limit`: give a process its open-files soft limit back, if it is still the same process. */
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { localExecutor } from '../../executors/local-executor.js';
import { setOpenFilesSoft, type LimitValue } from './limits.js';

export type OpenFilesLimitRecipe = {
  kind: 'open-files-limit';
  pid: number;
  startTime: string;
  /** the soft and hard limits before the fault */
  soft: LimitValue;
  hard: LimitValue;
};

export const openFilesLimitUndo: UndoKind<OpenFilesLimitRecipe> = {
  kind: 'open-files-limit',
  example: { kind: 'open-files-limit', pid: 4242, startTime: '81234567', soft: 1024, hard: 1048576 },
  describe: (r) => `set the open-files soft limit of pid ${r.pid} back to ${r.soft} (if still the same process)`,
  async execute(recipe, signal) {
    const done = await setOpenFilesSoft(localExecutor, recipe, recipe.soft, recipe.hard, 'FD_REVERT_FAILED', signal);
    return done ? openFilesLimitUndo.describe(recipe) : `pid ${recipe.pid} is gone or was replaced: no limit is left lowered`;
  },
  manualFix(recipe: OpenFilesLimitRecipe, { host }: ManualFixContext): ManualFix {
    return {
      summary: `Give pid ${recipe.pid} its open-files limit back on ${host} (soft ${recipe.soft}, hard ${recipe.hard}). First check that the pid still names the target, since pids are reused; a restarted process already has its normal limit.`,
      commands: [`ps -o pid,lstart,cmd -p ${recipe.pid}`, `prlimit --pid=${recipe.pid} --nofile=${recipe.soft}:${recipe.hard}`],
      check: `Max open files shows ${recipe.soft} again`,
      checkCommand: `grep 'Max open files' /proc/${recipe.pid}/limits`,
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { 'open-files-limit': OpenFilesLimitRecipe }
}
