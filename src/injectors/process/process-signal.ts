/**
 * `process-signal`: send `signal`; revert sends `revertSignal` once. A SIGSTOP without a
 * revertSignal is resumed with SIGCONT anyway: a stopped process is never left behind.
 */
import { FiredrillError, errorMessage } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { executorFor } from '../../executors/registry.js';
import { signalUndo } from '../undo/signal.js';
import { describeInstance } from './describe-instance.js';
import { PROCESS_TARGETS } from './process-targets.js';
import { sendFaultSignal } from './send-fault-signal.js';
import { processSignalSchema, type SignalFault } from './schema.js';


export const processSignal: Injector<SignalFault> = {
  type: 'process-signal',
  example: { type: 'process-signal', target: 'backend', duration: '30s', signal: 'SIGUSR1', revertSignal: 'SIGUSR2' },
  schema: processSignalSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => {
    const undo = undoSignal(f);
    return `${f.signal}${undo ? `, ${undo} on revert` : ', nothing on revert'}`;
  },
  undo: [signalUndo],
  async preflight(ctx) {
    const problems: string[] = [];
    for (const instance of ctx.instances) {
      // a remote instance is checked again on its host right before the inject (fleet recheck)
      if (instance.host === undefined && !(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
    }
    return problems;
  },
  plan(ctx: InjectorContext<SignalFault>): FaultAction[] {
    return ctx.instances.map((instance) => signalAction(ctx.fault, instance));
  },
};

/** The signal revert sends, if any. */
function undoSignal(fault: SignalFault): NodeJS.Signals | undefined {
  return fault.revertSignal ?? (fault.signal === 'SIGSTOP' ? 'SIGCONT' : undefined);
}

function signalAction(fault: SignalFault, instance: TargetInstance): FaultAction {
  const undo = undoSignal(fault);
  let applied = false;
  // a revert signal may toggle a mode, so it is sent at most once
  let reverted = false;

  return {
    label: `${fault.signal} ${describeInstance(instance)}${undo ? `, ${undo} on revert` : ''}`,
    instance,
    undoRecipe: undo
      ? { kind: 'signal', pid: instance.pid, startTime: instance.startTime, signal: undo }
      : { kind: 'none', why: `no revertSignal: ${fault.signal} is not undone` },
    async apply(signal) {
      signal.throwIfAborted();
      applied = true;
      await sendFaultSignal(instance, fault.signal, signal, 'signal');
    },
    async revert() {
      if (!applied || undo === undefined || reverted) return;
      reverted = true;
      try {
        await executorFor(instance).signalIfSame(instance, undo);
      } catch (e) {
        reverted = false;
        throw new FiredrillError('FD_REVERT_FAILED', `cannot send ${undo} to ${describeInstance(instance)}: ${errorMessage(e)}`, { pid: instance.pid }, { cause: e });
      }
    },
  };
}
