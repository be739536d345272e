/** Sends a fault's signal to the selected process, or throws FD_INJECT_FAILED saying why it could not. */
import { errorMessage, FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { executorFor } from '../../executors/registry.js';
import { describeInstance } from './describe-instance.js';

export async function sendFaultSignal(instance: TargetInstance, sig: NodeJS.Signals, cancel: AbortSignal, verb: string): Promise<void> {
  let sent: boolean;
  try {
    ({ sent } = await executorFor(instance).signalIfSame(instance, sig, { cancel }));
  } catch (e) {
    throw new FiredrillError('FD_INJECT_FAILED', `cannot send ${sig} to ${describeInstance(instance)}: ${errorMessage(e)}`, { pid: instance.pid }, { cause: e });
  }
  if (!sent) {
    cancel.throwIfAborted();
    throw new FiredrillError('FD_INJECT_FAILED', `cannot ${verb} ${describeInstance(instance)}: the process is gone or was replaced`, { pid: instance.pid });
  }
}
