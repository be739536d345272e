/**
 * Executes an undo recipe without the runner: the same undo the runner would have done, driven by
 * data from the ledger. Each recipe kind's injector says how (injectors/registry.ts `undoKindOf`).
 * Idempotent: a process that is gone or was replaced counts as undone.
 */
import { errorMessage } from '../../errors.js';
import type { UndoRecipe } from '../../injectors/contract.js';
import { undoKindOf } from '../../injectors/registry.js';

export interface RecipeResult {
  ok: boolean;
  message: string;
}

/** What executing the recipe would do, for `recover --dry-run`. */
export function describeRecipe(recipe: UndoRecipe): string {
  const kind = undoKindOf(recipe);
  return kind ? kind.describe(recipe) : `unknown undo kind "${recipe.kind}" (written by another firedrill version?): undo it by hand`;
}

export async function executeRecipe(recipe: UndoRecipe, signal: AbortSignal): Promise<RecipeResult> {
  const kind = undoKindOf(recipe);
  if (!kind) return { ok: false, message: describeRecipe(recipe) };
  try {
    return { ok: true, message: await kind.execute(recipe, signal) };
  } catch (e) {
    return { ok: false, message: errorMessage(e) };
  }
}
