/** What the fault window tells the durable fault ledger (implemented by run-safety.ts). */
import type { UndoRecipe } from '../injectors/contract.js';

export interface FaultLedger {
  /** Must be on disk before the fault acts; throws when it cannot be recorded (then nothing is applied). */
  intent(id: string, label: string, recipe: UndoRecipe): void;
  update(id: string, recipe: UndoRecipe): void;
  done(id: string): void;
  failed(id: string, error: string): void;
}
