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
    const available = await readMemAvailableBytes();
    const bytes = parseMemorySize(ctx.fault.size, available);
    if (bytes === undefined) problems.push(`"${ctx.fault.size}" is not a memory size; write it like 256MiB, 1GiB or 20%`);
    else if (bytes > available * MAX_SHARE_OF_AVAILABLE) {
      problems.push(
        `memory-pressure size ${ctx.fault.size} (${formatBytes(bytes)}) is more than ${MAX_SHARE_OF_AVAILABLE * 100}% of the ${formatBytes(available)} available; choose a smaller size`,
      );
    }
    for (const instance of ctx.instances) {
      if (!(await isSameProcess(instance.pid, instance.startTime))) problems.push(`${describeInstance(instance)} is gone`);
    }
    return problems;
  },
  async plan(ctx: InjectorContext<MemoryFault>): Promise<FaultAction[]> {
    const { fault, instances } = ctx;
    const [tools, available] = await Promise.all([findStressTools(), readMemAvailableBytes()]);
    const bytes = parseMemorySize(fault.size, available);
    // the schema only lets sizes through, so this is a drill that skipped validation
    if (bytes === undefined) throw new FiredrillError('FD_DRILL_INVALID', `"${fault.size}" is not a memory size; write it like 256MiB, 1GiB or 20%`, { size: fault.size });
    if (instances.length === 0) return [];
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
    ];
  },
};
