/**
 * How a person undoes, by hand, a fault firedrill could not revert: rendered from the undo recipe
 * the fault record carries, by the injector family that wrote it (UndoKind.manualFix). The report
 * re-runs nothing and guesses nothing: a record without a recipe says so.
 */
import { faultId } from '../../drill/fault-id.js';
import type { FaultSpec } from '../../drill/schema.js';
import type { ManualFix, UndoRecipe } from '../../injectors/contract.js';
import { undoKindOf } from '../../injectors/registry.js';
import type { FaultRecord, Journal } from '../../journal/types.js';

/** The drill's spec for a fault record: by id, else by the runner's `type#index` default. */
export function faultSpecFor(journal: Journal, record: Pick<FaultRecord, 'faultId'>): FaultSpec | undefined {
  const faults = journal.drill.spec.faults;
  return faults.find((f) => f.id === record.faultId) ?? faults.find((f, i) => faultId(f, i) === record.faultId);
}

/** Steps to undo one fault by hand on the host the drill ran on. */
export function manualFix(journal: Journal, record: FaultRecord): ManualFix {
  const onHost = `on ${journal.host.hostname}`;
  const unknown: ManualFix = {
    summary: `Undo "${record.label}" by hand ${onHost}: the journal does not say how for fault type ${record.type}; see the drill's fault ${record.faultId}.`,
    commands: [],
  };
  // a journal is data from disk: a recipe of a kind this version does not know is shown as unknown
  const recipe = record.undo as UndoRecipe | undefined;
  const kind = recipe ? undoKindOf(recipe) : undefined;
  if (!recipe || !kind) return unknown;
  try {
    return kind.manualFix(recipe, {
      host: journal.host.hostname,
      label: record.label,
      revertAttempts: record.revertAttempts,
      ...(record.instance ? { instanceCommand: record.instance.command } : {}),
    });
  } catch {
    // a recipe with missing fields (hand-edited, truncated) must not take the whole report down
    return unknown;
  }
}
