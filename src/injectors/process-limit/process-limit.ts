/**
 * `process-limit`: lower the open-files soft limit (RLIMIT_NOFILE) of the target's processes with
 * prlimit, and give each its old limit back on revert. Files already open stay open: the fault
 * shows how a service behaves when it cannot accept a connection or open a file (EMFILE). Only the
 * soft limit changes, so the revert needs no more privilege than the inject. On a remote host
 * (`hosts:` targets) the same scripts run through the host's executor, and the host's lease holds
 * the guarded `prlimit` that gives the limit back (remote/undo-shell.ts).
 */
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { executorFor } from '../../executors/registry.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { describeInstance } from '../process/describe-instance.js';
import { PROCESS_TARGETS } from '../process/process-targets.js';
import { hasPrlimit, readOpenFiles, setOpenFilesSoft, type OpenFilesLimit } from './limits.js';
import { processLimitSchema, type ProcessLimitFault } from './schema.js';
import { openFilesLimitUndo } from './undo.js';

export const processLimit: Injector<ProcessLimitFault> = {
  type: 'process-limit',
  schema: processLimitSchema,
  example: { type: 'process-limit', target: 'backend', duration: '30s', openFiles: 64 },
  targets: PROCESS_TARGETS,
  describe: (f) => `open-files soft limit lowered to ${f.openFiles} with prlimit, the old limit restored on revert`,
  undo: [openFilesLimitUndo],
  async preflight(ctx) {
    const problems: string[] = [];
    const checked = new Set<string>();
    for (const instance of ctx.instances) {
      const executor = executorFor(instance);
      if (!checked.has(executor.where)) {
        checked.add(executor.where);
        if (!(await hasPrlimit(executor))) problems.push(`\`prlimit\` is not installed${executor.where === 'local' ? '' : ` on host ${executor.where}`} (Debian: apt-get install util-linux)`);
      }
    }
    if (problems.length > 0) return problems;
    for (const instance of ctx.instances) {
      const now = await readOpenFiles(executorFor(instance), instance, ctx.signal);
      if (now === undefined) problems.push(`${describeInstance(instance)} is gone, or its limits cannot be read`);
      else if (now.soft !== 'unlimited' && now.soft <= ctx.fault.openFiles) {
        problems.push(`${describeInstance(instance)} may open ${now.soft} files already: an openFiles limit of ${ctx.fault.openFiles} would change nothing; choose a lower one`);
      }
    }
    return problems;
  },
  async plan(ctx: InjectorContext<ProcessLimitFault>): Promise<FaultAction[]> {
    // the old limit is read here, so the ledger's recipe can restore it before apply changes anything
    return Promise.all(ctx.instances.map(async (instance) => limitAction(ctx.fault, instance, await readOpenFiles(executorFor(instance), instance, ctx.signal))));
  },
};

function limitAction(fault: ProcessLimitFault, instance: TargetInstance, before: OpenFilesLimit | undefined): FaultAction {
  const ref = { pid: instance.pid, startTime: instance.startTime };
  const executor = executorFor(instance);
  // fires when revert starts, so an apply still in flight does not lower the limit after it
  const reverting = new AbortController();

  return {
    label: `open-files limit of ${describeInstance(instance)} lowered to ${fault.openFiles}`,
    instance,
    undoRecipe: before
      ? { kind: 'open-files-limit', pid: ref.pid, startTime: ref.startTime, soft: before.soft, hard: before.hard }
      : { kind: 'none', why: 'the old limit could not be read, so nothing is lowered' },
    async apply(signal) {
      signal.throwIfAborted();
      if (before === undefined) throw new FiredrillError('FD_INJECT_FAILED', `cannot read the limits of ${describeInstance(instance)}: the process is gone or was replaced`, { pid: ref.pid });
      if (reverting.signal.aborted) return;
      if (!(await setOpenFilesSoft(executor, ref, fault.openFiles, before.hard, 'FD_INJECT_FAILED', AbortSignal.any([signal, reverting.signal])))) {
        throw new FiredrillError('FD_INJECT_FAILED', `cannot lower the limit of ${describeInstance(instance)}: the process is gone or was replaced`, { pid: ref.pid });
      }
    },
    async revert(signal) {
      reverting.abort();
      // idempotent: restoring the old limit twice is the same as once; a gone process has no limit left
      if (before) await setOpenFilesSoft(executor, ref, before.soft, before.hard, 'FD_REVERT_FAILED', signal);
    },
  };
}
