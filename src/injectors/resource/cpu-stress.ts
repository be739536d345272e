/** `cpu-stress`: load the CPUs the target may run on, one worker group per target instance. */
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { formatPercent } from '../../values/percent.js';
import { killProcessUndo } from '../undo/kill-process.js';
import { describeInstance } from '../process/describe-instance.js';
import { PROCESS_TARGETS } from '../process/process-targets.js';
import { readAllowedCpus } from './allowed-cpus.js';
import { describeStress, findStressTools, stressCommand, type StressLoad } from './stress-command.js';
import { stressAction } from './stress-action.js';
import { cpuStressSchema, type CpuFault } from './schema.js';
import { executorFor } from '../../executors/registry.js';
import { localExecutor } from '../../executors/local-executor.js';
import { remoteAllowedCpus, remoteStressAction, remoteStressTools, remoteToolProblems } from './remote-stress.js';
import { SELF_END_GRACE_MS, stressNgArgs } from './stress-command.js';


export const cpuStress: Injector<CpuFault> = {
  type: 'cpu-stress',
  example: { type: 'cpu-stress', target: 'backend', duration: '30s', workers: 2, load: '80%' },
  schema: cpuStressSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => `${f.workers} worker${f.workers === 1 ? '' : 's'} at ${formatPercent(f.load)} load`,
  undo: [killProcessUndo],
  async preflight(ctx) {
    const problems: string[] = [];
    const hostsChecked = new Set<string>();
    for (const instance of ctx.instances) {
      const executor = executorFor(instance);
      if (executor === localExecutor) {
        if (!(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
      } else if (!hostsChecked.has(executor.where)) {
        // on a remote host the target's identity was checked when it was resolved; the host needs stress-ng
        hostsChecked.add(executor.where);
        problems.push(...remoteToolProblems(executor.where, await remoteStressTools(executor)));
      }
    }
    return problems;
  },
  async plan(ctx: InjectorContext<CpuFault>): Promise<FaultAction[]> {
    const { fault } = ctx;
    const tools = await findStressTools();
    const load: StressLoad = { mode: 'cpu', workers: fault.workers, load: fault.load };
    return Promise.all(
      ctx.instances.map(async (instance) => {
        const executor = executorFor(instance);
        if (executor !== localExecutor) {
          // stress-ng on the target's host, pinned to the target's CPUs there (the host itself: not pinned)
          const [cpus, remoteTools] = await Promise.all([remoteAllowedCpus(executor, instance.pid), remoteStressTools(executor)]);
          const pin = cpus && remoteTools.taskset ? ['taskset', '-c', cpus] : [];
          return remoteStressAction({
            label: `cpu-stress: ${describeStress(load, { stressNg: 'stress-ng', ...(remoteTools.taskset ? { taskset: 'taskset' } : {}), ...(remoteTools.chrt ? { chrt: 'chrt' } : {}), ...(remoteTools.nice ? { nice: 'nice' } : {}), node: '' }, cpus, describeInstance(instance))}`,
            instance,
            executor,
            argv: [...pin, 'stress-ng', ...stressNgArgs(load, fault.duration + SELF_END_GRACE_MS)],
            // below everything on the host, as locally: its sshd and the lease's watchdog keep their CPU
            lowestPriority: true,
          });
        }
        const cpus = await readAllowedCpus(instance.pid);
        return stressAction({
          label: `cpu-stress: ${describeStress(load, tools, cpus, describeInstance(instance))}`,
          instance,
          command: stressCommand(load, { tools, cpus, durationMs: fault.duration, parentPid: process.pid }),
        });
      }),
    );
  },
};
