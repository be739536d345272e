/** What the fault window tells the durable fault ledger (implemented by run-safety.ts). */
import type { UndoRecipe } from '../injectors/contract.js';

export interface FaultLedger {
  /**
   * Must be on disk, and held by the dead-man switch, before the fault acts; rejects when it cannot
   * be recorded (then nothing is applied).
   */
  intent(id: string, label: string, recipe: UndoRecipe): void | Promise<void>;
  update(id: string, recipe: UndoRecipe): void;
  done(id: string): void;
  failed(id: string, error: string): void;
}
