/** A fault only makes sense on the kind of target it acts on: container faults on containers, process faults on processes. */
import type { DrillRule } from './contract.js';

type TargetKind = 'process' | 'start' | 'container' | 'proxy';

/** What each fault family acts on; `command` faults act on anything. */
function accepts(faultType: string): TargetKind[] | undefined {
  // network faults act in the namespace of the target's process: a container's main process counts
  if (faultType.startsWith('network-')) return ['process', 'start', 'container'];
  if (faultType.startsWith('container-')) return ['container'];
  if (faultType === 'proxy') return ['proxy'];
  if (faultType.startsWith('process-') || faultType === 'cpu-stress' || faultType === 'memory-pressure') return ['process', 'start'];
  return undefined;
}

export const faultTargetKind: DrillRule = {
  code: 'fault-target-kind',
  check(drill) {
    return drill.faults.flatMap((f, i) => {
      const target = drill.targets[f.target];
      const wanted = accepts(f.type);
      if (!target || !wanted) return [];
      const kind: TargetKind = target.container ? 'container' : target.proxy ? 'proxy' : target.start ? 'start' : 'process';
      if (wanted.includes(kind)) return [];
      const needs = wanted.map((k) => `\`${k}:\``).join(' or ');
      return [{ path: ['faults', i, 'type'], message: `${f.type} needs ${needs}, but "${f.target}" is a \`${kind}:\` target` }];
    });
  },
};
