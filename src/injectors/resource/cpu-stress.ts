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


export const cpuStress: Injector<CpuFault> = {
  type: 'cpu-stress',
  example: { type: 'cpu-stress', target: 'backend', duration: '30s', workers: 2, load: '80%' },
  schema: cpuStressSchema,
  targets: PROCESS_TARGETS,
  describe: (f) => `${f.workers} worker${f.workers === 1 ? '' : 's'} at ${formatPercent(f.load)} load`,
  undo: [killProcessUndo],
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
