/** A fault only makes sense on the kind of target it acts on: container faults on containers, process faults on processes. */
import type { DrillRule, RuleProblem } from './contract.js';

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

/** Value checks read numbers, which only value probes (prometheus, scrape, alert) produce. */
export const valueCheckOnValueProbe: DrillRule = {
  code: 'value-check-kind',
  check(drill) {
    const isValueProbe = (name: string) => {
      const p = drill.probes[name];
      return p === undefined || Boolean(p.prometheus ?? p.scrape ?? p.alert);
    };
    const problems: RuleProblem[] = [];
    for (const phase of ['baseline', 'fault', 'recovery'] as const) {
      drill.expect[phase].forEach((e, i) => {
        const field = e.value !== undefined ? 'value' : e.valueBetween !== undefined ? 'valueBetween' : e.errorRatio !== undefined ? 'errorRatio' : undefined;
        for (const probe of [e.probe, ...(e.total ? [e.total] : [])]) {
          if (field && !isValueProbe(probe)) {
            problems.push({ path: ['expect', phase, i, field], message: `${field} reads numbers, but probe ${probe} is not a prometheus, scrape or alert probe` });
          }
        }
      });
    }
    drill.killSwitch.forEach((k, i) => {
      const field = k.valueAbove !== undefined ? 'valueAbove' : k.valueBelow !== undefined ? 'valueBelow' : k.alertFiring ? 'alertFiring' : k.errorRatioAbove !== undefined ? 'errorRatioAbove' : undefined;
      if (!field) return;
      const p = drill.probes[k.probe];
      const wrongAlert = field === 'alertFiring' && p !== undefined && !p.alert;
      if (wrongAlert) problems.push({ path: ['killSwitch', i, field], message: `alertFiring watches an alert probe, but ${k.probe} is not one` });
      else if (!isValueProbe(k.probe) || (k.total !== undefined && !isValueProbe(k.total))) {
        problems.push({ path: ['killSwitch', i, field], message: `${field} reads numbers, but probe ${k.probe}${k.total ? ` or ${k.total}` : ''} is not a prometheus, scrape or alert probe` });
      }
    });
    return problems;
  },
};
