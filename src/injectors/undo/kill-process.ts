/**
 * `kill-process`: end a process group firedrill started for a fault (a stress worker, a fault
 * proxy's host), only if its leader is still the same process.
 */
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { stopStress } from '../resource/stress-process.js';

export type KillProcessRecipe = {
  kind: 'kill-process';
  pid: number;
  startTime: string;
};

/** How long the undo waits for a SIGKILLed group to disappear. */
const STOP_TIMEOUT_MS = 5000;

export const killProcessUndo: UndoKind<KillProcessRecipe> = {
  kind: 'kill-process',
  example: { kind: 'kill-process', pid: 5120, startTime: '81234567' },
  describe: (recipe) => `kill process group ${recipe.pid} (if still the same process)`,
  async execute(recipe, signal) {
    await stopStress({ pid: recipe.pid, startTime: recipe.startTime }, { timeoutMs: STOP_TIMEOUT_MS, signal });
    return killProcessUndo.describe(recipe);
  },
  manualFix(recipe: KillProcessRecipe, { host }: ManualFixContext): ManualFix {
    return {
      summary: `Stop the processes firedrill started for this fault on ${host}: process group ${recipe.pid}. First check that pid ${recipe.pid} is still firedrill's (a stress worker or a fault proxy), since pids are reused.`,
      commands: [`ps -o pid,lstart,cmd -p ${recipe.pid}`, `kill -KILL -- -${recipe.pid}`],
      check: 'no process of the group is left, and CPU and memory use are back to their usual level',
      checkCommand: `pgrep -g ${recipe.pid} || echo gone`,
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { 'kill-process': KillProcessRecipe }
}
