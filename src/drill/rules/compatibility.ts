/** A fault only makes sense on the kind of target it acts on: container faults on containers, process faults on processes. */
import { targetKindsOfFault } from '../../injectors/fault-types.js';
import { targetKindOf } from '../../targets/target-kinds.js';
import { kindOf } from '../probe-kind.js';
import type { DrillRule, RuleProblem } from './contract.js';

export const faultTargetKind: DrillRule = {
  code: 'fault-target-kind',
  check(drill) {
    return drill.faults.flatMap((f, i) => {
      const target = drill.targets[f.target];
      // each injector names the target kinds it acts on; `any` (command) acts on anything
      const wanted = targetKindsOfFault(f.type);
      if (!target || !wanted || wanted === 'any') return [];
      const { kind } = targetKindOf(target);
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
      const kind = p && kindOf(p);
      return p === undefined || kind === 'prometheus' || kind === 'scrape' || kind === 'alert';
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
