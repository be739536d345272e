/**
 * Executes an undo recipe without the runner: the same undo the runner would have done, driven by
 * data from the ledger. Idempotent: a process that is gone or was replaced counts as undone.
 */
import { errorMessage, FiredrillError } from '../../errors.js';
import type { UndoRecipe } from '../../injectors/contract.js';
import { runCommand } from '../../injectors/command/run-command.js';
import { describeContainerUndo, undoContainer } from '../../injectors/container/undo-recipe.js';
import { describeNetworkUndo, undoNetwork } from '../../injectors/network/undo-recipe.js';
import { stopStress } from '../../injectors/resource/stress-process.js';
import { signalIfSame, waitUntilStopped } from '../../injectors/signal-process.js';

export interface RecipeResult {
  ok: boolean;
  message: string;
}

/** What executing the recipe would do, for `recover --dry-run`. */
export function describeRecipe(recipe: UndoRecipe): string {
  switch (recipe.kind) {
    case 'signal':
      return `send ${recipe.signal} to pid ${[recipe.pid, ...(recipe.also ?? []).map((p) => p.pid)].join(', ')} (if still the same process)`;
    case 'kill-process':
      return `kill process group ${recipe.pid} (if still the same process)`;
    case 'command':
      return `run ${Array.isArray(recipe.command) ? recipe.command.join(' ') : recipe.command}`;
    case 'container':
      return describeContainerUndo(recipe);
    case 'nft-table':
    case 'qdisc':
      return describeNetworkUndo(recipe);
    case 'none':
      return `nothing to do (${recipe.why})`;
  }
}

export async function executeRecipe(recipe: UndoRecipe, signal: AbortSignal): Promise<RecipeResult> {
  try {
    switch (recipe.kind) {
      case 'signal': {
        const stuck: number[] = [];
        // children first, like the runner's own revert
        for (const ref of [...(recipe.also ?? []), { pid: recipe.pid, startTime: recipe.startTime }]) {
          await signalIfSame(ref, recipe.signal);
          if (recipe.signal === 'SIGCONT' && !(await waitUntilStopped(ref, false))) stuck.push(ref.pid);
        }
        if (stuck.length > 0) return { ok: false, message: `still stopped after SIGCONT: pid ${stuck.join(', ')}` };
        return { ok: true, message: describeRecipe(recipe) };
      }
      case 'kill-process':
        await stopStress({ pid: recipe.pid, startTime: recipe.startTime }, { timeoutMs: 5000, signal });
        return { ok: true, message: describeRecipe(recipe) };
      case 'command': {
        const result = await runCommand(recipe.command, { env: recipe.env, timeoutMs: recipe.timeoutMs, signal });
        if (result.exitCode !== 0) throw new FiredrillError('FD_REVERT_FAILED', `revert command exited ${String(result.exitCode)}`);
        return { ok: true, message: describeRecipe(recipe) };
      }
      case 'container':
        return { ok: true, message: await undoContainer(recipe, signal) };
      case 'nft-table':
      case 'qdisc':
        return { ok: true, message: await undoNetwork(recipe, signal) };
      case 'none':
        return { ok: true, message: describeRecipe(recipe) };
    }
  } catch (e) {
    return { ok: false, message: errorMessage(e) };
  }
}
