/**
 * What the runner and its dead-man switch say to each other over their IPC channel. The runner
 * hands over every undo recipe before the fault is applied and waits for the `ack`: from then on
 * the watchdog can revert it from memory, whatever happens to the ledger file.
 */
import type { UndoRecipe } from '../../injectors/contract.js';
import type { RunRecord } from '../ledger.js';

export type ToWatchdog =
  | { type: 'record'; record: RunRecord }
  /** what the runner knows of the run so far (a journal without samples), for a crash report */
  | { type: 'journal'; journal: unknown }
  | { type: 'intent'; n: number; id: string; label: string; recipe: UndoRecipe; at: string }
  | { type: 'update'; id: string; recipe: UndoRecipe; at: string }
  | { type: 'done'; id: string; at: string }
  | { type: 'failed'; id: string; error: string; at: string }
  | { type: 'beat' }
  /** the run ended; `cleared`: nothing is left open */
  | { type: 'end'; cleared: boolean };

export type FromWatchdog = { type: 'ready'; pid: number } | { type: 'ack'; n: number };
