/**
 * `process-pause`: SIGSTOP the target (and with `tree: true` every descendant), SIGCONT on revert.
 * Every process is remembered before it is stopped, so a partial apply is fully revertible.
 */
import { FiredrillError, errorMessage } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { executorFor } from '../../executors/registry.js';
import type { Executor } from '../../executors/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import type { ProcessRef } from '../signal-process.js';
import { signalUndo } from '../undo/signal.js';
import { describeInstance } from './describe-instance.js';
import { PROCESS_TARGETS } from './process-targets.js';
import { processPauseSchema, type PauseFault } from './schema.js';


/** A process tree can fork while we walk it; rescan until nothing new appears, but not forever. */
const MAX_TREE_ROUNDS = 10;

export const processPause: Injector<PauseFault> = {
  type: 'process-pause',
  example: { type: 'process-pause', target: 'backend', duration: '20s' },
  schema: processPauseSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => (f.tree ? 'SIGSTOP the process and its children, SIGCONT on revert' : 'SIGSTOP, SIGCONT on revert'),
  undo: [signalUndo],
  plan(ctx: InjectorContext<PauseFault>): FaultAction[] {
    return ctx.instances.map((instance) => pauseAction(instance, ctx.fault.tree));
  },
};

function pauseAction(instance: TargetInstance, tree: boolean): FaultAction {
  const root: ProcessRef = { pid: instance.pid, startTime: instance.startTime };
  const stopped: ProcessRef[] = [];
  // fires when revert starts, so an apply still in flight stops pausing things
  const reverting = new AbortController();
  const remember = (ref: ProcessRef): void => {
    if (!stopped.some((s) => s.pid === ref.pid && s.startTime === ref.startTime)) stopped.push(ref);
  };

  return {
    label: `SIGSTOP ${describeInstance(instance)}${tree ? ' and its descendants' : ''}`,
    instance,
    get undoRecipe() {
      const children = stopped.filter((s) => s.pid !== root.pid);
      return { kind: 'signal' as const, pid: root.pid, startTime: root.startTime, signal: 'SIGCONT' as const, ...(children.length ? { also: children } : {}) };
    },
    async apply(signal) {
      const cancel = AbortSignal.any([signal, reverting.signal]);
      const executor = executorFor(instance);
      remember(root);
      // report the fault as in place only once the kernel has actually stopped the process
      const { sent, settled } = await stop(executor, root, cancel);
      if (!sent) {
        cancel.throwIfAborted();
        throw new FiredrillError('FD_INJECT_FAILED', `cannot pause ${describeInstance(instance)}: the process is gone or was replaced`, {
          pid: instance.pid,
        });
      }
      if (!settled) {
        throw new FiredrillError('FD_INJECT_FAILED', `${describeInstance(instance)} did not stop after SIGSTOP`, { pid: instance.pid });
      }
      if (!tree) return;
      // the root is stopped and cannot fork any more; stopped children cannot either
      for (let round = 0; round < MAX_TREE_ROUNDS; round++) {
        const fresh = descendants(instance.pid, await executor.listProcesses())
          .filter((p) => p.state !== 'Z' && !stopped.some((s) => s.pid === p.pid && s.startTime === p.startTime))
          .map((p) => ({ pid: p.pid, startTime: p.startTime }));
        if (fresh.length === 0) return;
        for (const ref of fresh) {
          remember(ref);
          await stop(executor, ref, cancel);
          cancel.throwIfAborted();
        }
      }
    },
    async revert() {
      reverting.abort();
      const failures: string[] = [];
      const executor = executorFor(instance);
      // children first, so the root never runs while its children are still stopped
      for (const ref of [...stopped].reverse()) {
        try {
          const { settled } = await executor.signalIfSame(ref, 'SIGCONT', { settle: 'running' });
          if (!settled) failures.push(`pid ${ref.pid}: still stopped after SIGCONT`);
        } catch (e) {
          failures.push(`pid ${ref.pid}: ${errorMessage(e)}`);
        }
      }
      if (failures.length > 0) {
        throw new FiredrillError('FD_REVERT_FAILED', `could not resume every paused process (${failures.join('; ')}); send SIGCONT by hand`, {
          failures,
        });
      }
    },
  };
}

/** Direct and indirect children of `pid` in a process listing (bounded by the listing). */
function descendants(pid: number, procs: readonly { pid: number; ppid: number; state: string; startTime: string }[]): { pid: number; state: string; startTime: string }[] {
  const out: { pid: number; state: string; startTime: string }[] = [];
  const queue = [pid];
  const seen = new Set<number>(queue);
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    for (const child of procs) {
      if (child.ppid !== p || seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

async function stop(executor: Executor, ref: ProcessRef, cancel: AbortSignal): Promise<{ sent: boolean; settled: boolean }> {
  try {
    return await executor.signalIfSame(ref, 'SIGSTOP', { cancel, settle: 'stopped' });
  } catch (e) {
    throw new FiredrillError('FD_INJECT_FAILED', `cannot pause pid ${ref.pid}: ${errorMessage(e)}`, { pid: ref.pid }, { cause: e });
  }
}
