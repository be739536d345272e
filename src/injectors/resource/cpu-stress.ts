/** `cpu-stress`: load the CPUs the target may run on, one worker group per target instance. */
import type { FaultSpec } from '../../drill/schema.js';
import { isSameProcess } from '../../targets/process/proc.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { describeInstance } from '../process/describe-instance.js';
import { readAllowedCpus } from './allowed-cpus.js';
import { describeStress, findStressTools, stressCommand, type StressLoad } from './stress-command.js';
import { stressAction } from './stress-action.js';

type CpuFault = Extract<FaultSpec, { type: 'cpu-stress' }>;

export const cpuStress: Injector<CpuFault> = {
  type: 'cpu-stress',
  async preflight(ctx) {
    const problems: string[] = [];
    for (const instance of ctx.instances) {
      if (!(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
    }
    return problems;
  },
  async plan(ctx: InjectorContext<CpuFault>): Promise<FaultAction[]> {
    const { fault } = ctx;
    const tools = await findStressTools();
    const load: StressLoad = { mode: 'cpu', workers: fault.workers, load: fault.load };
    return Promise.all(
      ctx.instances.map(async (instance) => {
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
