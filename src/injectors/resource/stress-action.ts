/**
 * The fault action shared by cpu-stress and memory-pressure: apply starts one stress worker,
 * revert kills its process group and waits until it is gone.
 */
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, UndoRecipe } from '../contract.js';
import type { StressCommand } from './stress-command.js';
import { startStress, stopStress, type StressWorker } from './stress-process.js';

/** How long revert waits for a SIGKILLed worker group to disappear. */
const STOP_TIMEOUT_MS = 5000;

export interface StressActionSpec {
  label: string;
  instance?: TargetInstance;
  command: StressCommand;
}

/** A FaultAction whose `undoRecipe` names the worker once it runs (before that: nothing to undo). */
export function stressAction(spec: StressActionSpec): FaultAction {
  let worker: StressWorker | undefined;
  let starting: Promise<void> | undefined;
  let startSettled = false;
  let revertStarted = false;

  return {
    label: spec.label,
    instance: spec.instance,
    // the stop kills only the worker this action started: it waits for no other undo
    independent: true,
    // a getter, not a placeholder pid: a recipe with pid 0 would make `kill` hit the caller's own group
    get undoRecipe(): UndoRecipe {
      return worker
        ? { kind: 'kill-process', pid: worker.pid, startTime: worker.startTime }
        : { kind: 'none', why: 'the stress worker has not started' };
    },
    async apply(signal) {
      if (revertStarted) throw new FiredrillError('FD_INJECT_FAILED', `${spec.label}: already reverted, not starting`, {});
      starting = startStress(spec.command, signal).then(
        (w) => {
          worker = w;
          startSettled = true;
        },
        (e: unknown) => {
          startSettled = true;
          throw e;
        },
      );
      await starting;
    },
    async revert(signal) {
      revertStarted = true;
      // a start still in flight finishes first (it is bounded), so its worker cannot escape; once
      // settled, no await: the kill is sent within the caller's call (the trip's own)
      if (starting && !startSettled) await starting.catch(() => undefined);
      if (worker) await stopStress(worker, { timeoutMs: STOP_TIMEOUT_MS, signal });
    },
  };
}
