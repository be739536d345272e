/**
 * Semantic rules of a game-day plan, as a list of named checks that return problems (never throw):
 * step names are unique, every probe a step or the day kill switch names is declared, a manual
 * step's expectations judge only probes it watches.
 */
import type { PathKey } from '../drill/yaml-positions.js';
import { isDrillStep, isManualStep, type Plan } from './plan-schema.js';

export interface PlanProblem {
  path: PathKey[];
  message: string;
  severity?: 'error' | 'warning';
}

export interface PlanRule {
  code: string;
  check(plan: Plan): PlanProblem[];
}

const uniqueStepNames: PlanRule = {
  code: 'duplicate-step',
  check(plan) {
    const seen = new Map<string, number>();
    const problems: PlanProblem[] = [];
    plan.steps.forEach((step, i) => {
      if (!isManualStep(step) && !(isDrillStep(step) && step.name)) return;
      const n = step.name as string;
      const first = seen.get(n);
      if (first !== undefined) problems.push({ path: ['steps', i, 'name'], message: `step name "${n}" is already used by step ${first + 1}; step names name the report folders, so they must be unique` });
      else seen.set(n, i);
    });
    return problems;
  },
};

const knownProbes: PlanRule = {
  code: 'unknown-probe',
  check(plan) {
    const declared = Object.keys(plan.probes);
    const list = declared.length ? declared.join(', ') : 'none; declare them under probes:';
    const problems: PlanProblem[] = [];
    plan.killSwitch.forEach((k, i) => {
      if (!plan.probes[k.probe]) problems.push({ path: ['killSwitch', i, 'probe'], message: `the day kill switch watches probe "${k.probe}", which is not declared under probes (declared: ${list})` });
      if (k.total !== undefined && !plan.probes[k.total]) problems.push({ path: ['killSwitch', i, 'total'], message: `probe "${k.total}" is not declared under probes (declared: ${list})` });
    });
    plan.steps.forEach((step, i) => {
      if (!isManualStep(step)) return;
      step.watch.forEach((p, j) => {
        if (!plan.probes[p]) problems.push({ path: ['steps', i, 'watch', j], message: `step "${step.name}" watches probe "${p}", which is not declared under probes (declared: ${list})` });
      });
      step.expect.forEach((e, j) => {
        if (!step.watch.includes(e.probe)) problems.push({ path: ['steps', i, 'expect', j, 'probe'], message: `expectation on "${e.probe}", which step "${step.name}" does not watch (it watches ${step.watch.join(', ')})` });
        if (e.recoversWithin !== undefined) problems.push({ path: ['steps', i, 'expect', j], message: 'recoversWithin needs a revert; a manual step has none: use successRate, latency or value checks' });
      });
    });
    return problems;
  },
};

const somethingToRun: PlanRule = {
  code: 'no-work',
  check(plan) {
    return plan.steps.some((s) => isDrillStep(s) || isManualStep(s)) ? [] : [{ path: ['steps'], message: 'the plan has only holds; add a drill or a manual step' }];
  },
};

const noDayKillSwitch: PlanRule = {
  code: 'no-day-kill-switch',
  check(plan) {
    return plan.killSwitch.length > 0 ? [] : [{ path: ['killSwitch'], severity: 'warning', message: 'no day-wide kill switch: only each drill\'s own conditions and maxDuration can stop the day' }];
  },
};

export const planRules: readonly PlanRule[] = [uniqueStepNames, knownProbes, somethingToRun, noDayKillSwitch];
