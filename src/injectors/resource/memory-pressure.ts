/**
 * `memory-pressure`: hold `size` of memory. Memory is shared by the whole host, so this is one
 * worker group for the fault, not one per instance (two instances must not double the size).
 */
import { FiredrillError } from '../../errors.js';
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { killProcessUndo } from '../undo/kill-process.js';
import { describeInstance } from '../process/describe-instance.js';
import { PROCESS_TARGETS } from '../process/process-targets.js';
import { readAllowedCpus } from './allowed-cpus.js';
import { readMemAvailableBytes } from './meminfo.js';
import { formatBytes, parseMemorySize } from './memory-size.js';
import { describeStress, findStressTools, stressCommand, type StressLoad } from './stress-command.js';
import { stressAction } from './stress-action.js';
import { memoryPressureSchema, type MemoryFault } from './schema.js';
import { executorFor } from '../../executors/registry.js';
import { localExecutor } from '../../executors/local-executor.js';
import type { Executor } from '../../executors/contract.js';
import type { TargetInstance } from '../../targets/contract.js';
import { remoteAllowedCpus, remoteMemAvailableBytes, remoteStressAction, remoteStressTools, remoteToolProblems } from './remote-stress.js';
import { SELF_END_GRACE_MS, stressNgArgs } from './stress-command.js';

/** The instances by the executor that reaches them: memory is shared per host, so one worker group per host. */
function byExecutor(instances: readonly TargetInstance[]): Map<Executor, TargetInstance[]> {
  const out = new Map<Executor, TargetInstance[]>();
  for (const instance of instances) {
    const executor = executorFor(instance);
    out.set(executor, [...(out.get(executor) ?? []), instance]);
  }
  return out;
}

/** The size in bytes against this MemAvailable, or the problem with it. */
function sizeProblem(fault: MemoryFault, available: number, where: string): string | undefined {
  const bytes = parseMemorySize(fault.size, available);
  if (bytes === undefined) return `"${fault.size}" is not a memory size; write it like 256MiB, 1GiB or 20%`;
  if (bytes > available * MAX_SHARE_OF_AVAILABLE) {
    return `memory-pressure size ${fault.size} (${formatBytes(bytes)}) is more than ${MAX_SHARE_OF_AVAILABLE * 100}% of the ${formatBytes(available)} available${where}; choose a smaller size`;
  }
  return undefined;
}


/** Above this share of MemAvailable the host itself (not just the target) is at risk. */
export const MAX_SHARE_OF_AVAILABLE = 0.8;

export const memoryPressure: Injector<MemoryFault> = {
  type: 'memory-pressure',
  example: { type: 'memory-pressure', target: 'backend', duration: '30s', size: '256MiB' },
  schema: memoryPressureSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => `hold ${f.size} in ${f.workers} worker${f.workers === 1 ? '' : 's'}`,
  undo: [killProcessUndo],
  async preflight(ctx) {
    const problems: string[] = [];
    const groups = byExecutor(ctx.instances);
    if (groups.size === 0 || groups.has(localExecutor)) {
      const problem = sizeProblem(ctx.fault, await readMemAvailableBytes(), '');
      if (problem) problems.push(problem);
    }
    for (const [executor, instances] of groups) {
      if (executor === localExecutor) {
        for (const instance of instances) {
          if (!(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
        }
        continue;
      }
      // on a remote host: that host's memory, and stress-ng there
      const tools = remoteToolProblems(executor.where, await remoteStressTools(executor));
      const problem = sizeProblem(ctx.fault, await remoteMemAvailableBytes(executor), ` on host ${executor.where}`);
      problems.push(...tools, ...(problem ? [problem] : []));
    }
    return problems;
  },
  async plan(ctx: InjectorContext<MemoryFault>): Promise<FaultAction[]> {
    const { fault } = ctx;
    const groups = byExecutor(ctx.instances);
    const remote = [...groups].filter(([executor]) => executor !== localExecutor);
    const remoteActions = await Promise.all(remote.map(([executor, instances]) => remoteMemoryAction(fault, executor, instances)));
    const instances = groups.get(localExecutor) ?? [];
    if (instances.length === 0) return remoteActions;
    const [tools, available] = await Promise.all([findStressTools(), readMemAvailableBytes()]);
    const bytes = parseMemorySize(fault.size, available);
    // the schema only lets sizes through, so this is a drill that skipped validation
    if (bytes === undefined) throw new FiredrillError('FD_DRILL_INVALID', `"${fault.size}" is not a memory size; write it like 256MiB, 1GiB or 20%`, { size: fault.size });
    const load: StressLoad = { mode: 'memory', workers: fault.workers, bytes };
    // pin only when every instance allows the same CPUs; anything else has no single right answer
    const cpuLists = new Set(await Promise.all(instances.map((i) => readAllowedCpus(i.pid))));
    const [cpus] = cpuLists.size === 1 ? [...cpuLists] : [undefined];
    const only = instances.length === 1 ? instances[0] : undefined;
    const cpusOf = only ? describeInstance(only) : `${instances.length} targets`;
    return [
      stressAction({
        label: `memory-pressure: ${describeStress(load, tools, cpus, cpusOf)}`,
        instance: only,
        command: stressCommand(load, { tools, cpus, durationMs: fault.duration, parentPid: process.pid }),
      }),
      ...remoteActions,
    ];
  },
};

/** One worker group on a remote host, holding the size of that host's memory. */
async function remoteMemoryAction(fault: MemoryFault, executor: Executor, instances: TargetInstance[]): Promise<FaultAction> {
  const [available, tools] = await Promise.all([remoteMemAvailableBytes(executor), remoteStressTools(executor)]);
  const bytes = parseMemorySize(fault.size, available);
  if (bytes === undefined) throw new FiredrillError('FD_DRILL_INVALID', `"${fault.size}" is not a memory size; write it like 256MiB, 1GiB or 20%`, { size: fault.size });
  const load: StressLoad = { mode: 'memory', workers: fault.workers, bytes };
  const cpuLists = new Set(await Promise.all(instances.map((i) => remoteAllowedCpus(executor, i.pid))));
  const [cpus] = cpuLists.size === 1 ? [...cpuLists] : [undefined];
  const only = instances.length === 1 ? instances[0] : undefined;
  const pin = cpus && tools.taskset ? ['taskset', '-c', cpus] : [];
  return remoteStressAction({
    label: `memory-pressure: ${describeStress(load, { stressNg: 'stress-ng', ...(tools.taskset ? { taskset: 'taskset' } : {}), node: '' }, cpus, only ? describeInstance(only) : `${instances.length} targets on ${executor.where}`)}`,
    // the lease and the ledger are per host: the first instance names it
    instance: instances[0] as TargetInstance,
    executor,
    argv: [...pin, 'stress-ng', ...stressNgArgs(load, fault.duration + SELF_END_GRACE_MS)],
  });
}
