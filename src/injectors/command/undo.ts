/** `command`: run the drill's own revert command, with the environment the runner gave it. */
import { FiredrillError } from '../../errors.js';
import { formatDurationMs } from '../../values/duration.js';
import { commandText } from '../../values/command-text.js';
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { runCommand } from '../../executors/run-command.js';

export type CommandRecipe = {
  kind: 'command';
  command: string | string[];
  env: Record<string, string>;
  timeoutMs: number;
};

export const commandUndo: UndoKind<CommandRecipe> = {
  kind: 'command',
  example: { kind: 'command', command: ['nft', 'delete', 'table', 'inet', 'drill_block'], env: { FIREDRILL_FAULT_ID: 'block' }, timeoutMs: 5000 },
  describe: (recipe) => `run ${Array.isArray(recipe.command) ? recipe.command.join(' ') : recipe.command}`,
  async execute(recipe, signal) {
    const result = await runCommand(recipe.command, { env: recipe.env, timeoutMs: recipe.timeoutMs, signal });
    if (result.exitCode !== 0) throw new FiredrillError('FD_REVERT_FAILED', `revert command exited ${String(result.exitCode)}`);
    return commandUndo.describe(recipe);
  },
  manualFix(recipe: CommandRecipe, { host, revertAttempts }: ManualFixContext): ManualFix {
    const assign = ([k, v]: [string, string]): string => `${k}=${commandText([v])}`;
    // the drill's own variables go on the command line; the runner's FIREDRILL_* context is named in the summary
    const own = Object.entries(recipe.env).filter(([k]) => !k.startsWith('FIREDRILL_')).map(assign);
    const runner = Object.entries(recipe.env).filter(([k]) => k.startsWith('FIREDRILL_')).map(assign);
    const context = runner.length > 0 ? ` The runner also gave it ${runner.join(' ')}; set those too if the command reads them.` : '';
    return {
      summary: `Run the drill's revert command by hand on ${host} (firedrill gave up after ${revertAttempts} attempt${revertAttempts === 1 ? '' : 's'}, each bounded by ${formatDurationMs(recipe.timeoutMs)}).${context}`,
      commands: [`${own.length > 0 ? `${own.join(' ')} ` : ''}${commandText(recipe.command)}`],
      check: 'the revert command exits 0 and the probes are healthy again',
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { command: CommandRecipe }
}
