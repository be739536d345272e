/**
 * `process-kill`: send `signal` (SIGKILL by default). Only a runner-managed target with
 * `restart: true` can be undone (the runner restarts it); anything else needs `allowIrreversible`.
 */
import { FiredrillError, errorMessage } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext, ManagedTargets } from '../contract.js';
import { describeInstance } from './describe-instance.js';
import { PROCESS_TARGETS } from './process-targets.js';
import { sendFaultSignal } from './send-fault-signal.js';
import { processKillSchema, type KillFault } from './schema.js';


export const processKill: Injector<KillFault> = {
  type: 'process-kill',
  example: { type: 'process-kill', target: 'backend', duration: '15s', restart: true },
  schema: processKillSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => `${f.signal}${f.restart ? ', restart runner-managed targets on revert' : ', no restart'}${f.allowIrreversible ? ', irreversible acknowledged' : ''}`,
  // its undo is the runner's own restart of a managed target: nothing to replay without the runner
  undo: [],
  async preflight(ctx) {
    const problems: string[] = [];
    for (const instance of ctx.instances) {
      const refusal = irreversibleRefusal(ctx.fault, instance, ctx.managed);
      if (refusal) problems.push(refusal);
      // a remote instance is checked again on its host right before the inject (fleet recheck)
      if (instance.host === undefined && !(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
    }
    return problems;
  },
  plan(ctx: InjectorContext<KillFault>): FaultAction[] {
    return ctx.instances.map((instance) => killAction(ctx, instance));
  },
};

/** Why killing `instance` is refused, or undefined when it may be killed. */
function irreversibleRefusal(fault: KillFault, instance: TargetInstance, managed: ManagedTargets): string | undefined {
  if (fault.allowIrreversible || (fault.restart && managed.isManaged(instance))) return undefined;
  const why = managed.isManaged(instance) ? 'restart is off' : 'the runner did not start it';
  return `killing ${describeInstance(instance)} cannot be undone (${why}); set allowIrreversible: true to accept that, or let the runner start the target`;
}

function killAction(ctx: InjectorContext<KillFault>, instance: TargetInstance): FaultAction {
  const { fault, managed, logger } = ctx;
  const restarts = fault.restart && managed.isManaged(instance);
  let applied = false;
  let restarted = false;
  // shared by concurrent reverts, so the target is restarted once
  let restarting: Promise<void> | undefined;

  return {
    label: `${fault.signal} ${describeInstance(instance)}${restarts ? ', restarted on revert' : ' (irreversible)'}`,
    instance,
    undoRecipe: restarts
      ? { kind: 'none', why: 'runner-managed target: the runner restarts it on revert; after a crash, start it again by hand' }
      : { kind: 'none', why: 'a killed process the runner did not start cannot be brought back' },
    async apply(signal) {
      signal.throwIfAborted();
      const refusal = irreversibleRefusal(fault, instance, managed);
      if (refusal) throw new FiredrillError('FD_INJECT_FAILED', refusal, { pid: instance.pid });
      applied = true;
      await sendFaultSignal(instance, fault.signal, signal, 'kill');
    },
    async revert(signal) {
      // nothing was sent, so there is nothing to restart
      if (!applied || !restarts || restarted) return;
      restarting ??= managed
        .restart(instance, signal)
        .then((fresh) => {
          restarted = true;
          logger.info({ target: instance.id, pid: fresh.pid }, 'restarted the killed target');
        })
        .finally(() => {
          // a failed restart may be retried by the next revert
          restarting = undefined;
        });
      try {
        await restarting;
      } catch (e) {
        throw new FiredrillError('FD_REVERT_FAILED', `could not restart ${describeInstance(instance)}: ${errorMessage(e)}`, { pid: instance.pid }, { cause: e });
      }
    },
  };
}
