/**
 * `process-limit`: lower the open-files soft limit (RLIMIT_NOFILE) of the target's processes with
 * prlimit, and give each its old limit back on revert. Files already open stay open: the fault
 * shows how a service behaves when it cannot accept a connection or open a file (EMFILE). Only the
 * soft limit changes, so the revert needs no more privilege than the inject.
 */
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { describeInstance } from '../process/describe-instance.js';
import { PROCESS_TARGETS } from '../process/process-targets.js';
import { findCommand } from '../resource/find-command.js';
import { readOpenFiles, setOpenFilesSoft, type OpenFilesLimit } from './limits.js';
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
    if ((await findCommand('prlimit')) === undefined) problems.push('`prlimit` is not installed (Debian: apt-get install util-linux)');
    for (const instance of ctx.instances) {
      if (!(await isSameProcess(instance.pid, instance.startTime))) {
        problems.push(`${describeInstance(instance)} is gone`);
        continue;
      }
      const now = await readOpenFiles(instance);
      if (now === undefined) problems.push(`cannot read the limits of ${describeInstance(instance)}`);
      else if (now.soft !== 'unlimited' && now.soft <= ctx.fault.openFiles) {
        problems.push(`${describeInstance(instance)} may open ${now.soft} files already: an openFiles limit of ${ctx.fault.openFiles} would change nothing; choose a lower one`);
      }
    }
    return problems;
  },
  async plan(ctx: InjectorContext<ProcessLimitFault>): Promise<FaultAction[]> {
    // the old limit is read here, so the ledger's recipe can restore it before apply changes anything
    return Promise.all(ctx.instances.map(async (instance) => limitAction(ctx.fault, instance, await readOpenFiles(instance))));
  },
};

function limitAction(fault: ProcessLimitFault, instance: TargetInstance, before: OpenFilesLimit | undefined): FaultAction {
  const ref = { pid: instance.pid, startTime: instance.startTime };
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
      if (!(await setOpenFilesSoft(ref, fault.openFiles, before.hard, 'FD_INJECT_FAILED', AbortSignal.any([signal, reverting.signal])))) {
        throw new FiredrillError('FD_INJECT_FAILED', `cannot lower the limit of ${describeInstance(instance)}: the process is gone or was replaced`, { pid: ref.pid });
      }
    },
    async revert(signal) {
      reverting.abort();
      // idempotent: restoring the old limit twice is the same as once; a gone process has no limit left
      if (before) await setOpenFilesSoft(ref, before.soft, before.hard, 'FD_REVERT_FAILED', signal);
    },
  };
}
