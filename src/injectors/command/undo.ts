/** `command`: run the drill's own revert command, with the environment the runner gave it. */
import { FiredrillError } from '../../errors.js';
import { formatDurationMs } from '../../values/duration.js';
import { commandText } from '../../values/command-text.js';
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { runCommand } from './run-command.js';

export interface CommandRecipe {
  kind: 'command';
  command: string | string[];
  env: Record<string, string>;
  timeoutMs: number;
}

export const commandUndo: UndoKind<CommandRecipe> = {
  kind: 'command',
  describe: (recipe) => `run ${Array.isArray(recipe.command) ? recipe.command.join(' ') : recipe.command}`,
  async execute(recipe, signal) {
    const result = await runCommand(recipe.command, { env: recipe.env, timeoutMs: recipe.timeoutMs, signal });
    if (result.exitCode !== 0) throw new FiredrillError('FD_REVERT_FAILED', `revert command exited ${String(result.exitCode)}`);
    return commandUndo.describe(recipe);
  },
  manualFix(recipe: CommandRecipe, { host, revertAttempts }: ManualFixContext): ManualFix {
    const env = Object.entries(recipe.env).map(([k, v]) => `${k}=${commandText([v])}`);
    return {
      summary: `Run the drill's revert command by hand on ${host} (firedrill gave up after ${revertAttempts} attempt${revertAttempts === 1 ? '' : 's'}, each bounded by ${formatDurationMs(recipe.timeoutMs)}).`,
      commands: [`${env.length > 0 ? `${env.join(' ')} ` : ''}${commandText(recipe.command)}`],
      check: 'the revert command exits 0 and the probes are healthy again',
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { command: CommandRecipe }
}
