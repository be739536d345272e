/** `none`: an action with nothing to replay (a signal that is not undone, a kill the runner restarts itself). */
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';

export type NoUndoRecipe = {
  kind: 'none';
  /** why there is nothing to replay, in words a person reads in `recover` and the report */
  why: string;
};

export const noUndo: UndoKind<NoUndoRecipe> = {
  kind: 'none',
  example: { kind: 'none', why: 'runner-managed target: the runner restarts it on revert' },
  describe: (recipe) => `nothing to do (${recipe.why})`,
  execute: async (recipe) => `nothing to do (${recipe.why})`,
  manualFix(recipe: NoUndoRecipe, context: ManualFixContext): ManualFix {
    const ran = context.instanceCommand;
    return {
      summary: `firedrill has no undo to replay for "${context.label}" (${recipe.why}). Bring the target back by hand on ${context.host}${ran ? ` the way it is normally started (it ran as: ${ran})` : ''}.`,
      commands: ran ? [ran] : [],
      check: 'the service answers its health probe again',
    };
  },
};

declare module '../contract.js' {
  interface UndoRecipes { none: NoUndoRecipe }
}
