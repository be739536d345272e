/** An action that changes nothing and fails at apply: for instances whose namespace was lost between preflight and plan. */
import { FiredrillError } from '../../errors.js';
import type { FaultAction } from '../contract.js';

/** An action that fails at apply with `why`, and whose undo has nothing to do. */
export function failedAction(type: string, why: string): FaultAction {
  return {
    label: `${type}: ${why}`,
    undoRecipe: { kind: 'none', why: 'nothing was changed' },
    apply() {
      return Promise.reject(new FiredrillError('FD_INJECT_FAILED', why));
    },
    revert() {
      return Promise.resolve();
    },
  };
}
