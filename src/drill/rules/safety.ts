/** Rules that keep a drill safe to fail: reversible faults, a bounded blast radius, a kill switch. */
import type { DrillRule, RuleProblem } from './contract.js';

export const irreversibleFault: DrillRule = {
  code: 'irreversible-fault',
  check(drill) {
    const problems: RuleProblem[] = [];
    drill.faults.forEach((f, i) => {
      if (f.type !== 'process-kill') return;
      const target = drill.targets[f.target];
      if (!target) return;
      if (target.process && !f.allowIrreversible) {
        problems.push({
          path: ['faults', i, 'type'],
          message: `process-kill on "${f.target}" cannot be undone: the runner did not start it and cannot restart it; use a runner-managed target (start:), or set allowIrreversible: true to accept that`,
        });
      }
      if (target.start && !f.restart && !f.allowIrreversible) {
        problems.push({
          path: ['faults', i, 'restart'],
          message: `process-kill with restart: false leaves "${f.target}" dead after the drill; set allowIrreversible: true to accept that`,
        });
      }
    });
    return problems;
  },
};

export const stopWithoutContinue: DrillRule = {
  code: 'stop-without-continue',
  check(drill) {
    return drill.faults.flatMap((f, i) =>
      f.type === 'process-signal' && f.signal === 'SIGSTOP'
        ? [{ path: ['faults', i, 'signal'], message: 'use process-pause for SIGSTOP: it sends SIGCONT on every revert path' }]
        : [],
    );
  },
};

export const selectionBounds: DrillRule = {
  code: 'selection-bounds',
  check(drill) {
    const { select, maxTargets } = drill.blastRadius;
    const problems: RuleProblem[] = [];
    if (select.mode === 'percent' && (select.value === undefined || select.value > 100)) {
      problems.push({ path: ['blastRadius', 'select', 'value'], message: 'percent selection needs a value from 1 to 100' });
    }
    if (select.mode === 'count' && select.value !== undefined && !Number.isInteger(select.value)) {
      problems.push({ path: ['blastRadius', 'select', 'value'], message: 'count selection needs a whole number' });
    }
    if (select.mode === 'count' && (select.value ?? 1) > maxTargets) {
      problems.push({
        path: ['blastRadius', 'select', 'value'],
        message: `select picks ${select.value} targets but maxTargets is ${maxTargets}; the drill would always be refused`,
      });
    }
    return problems;
  },
};

export const noKillSwitch: DrillRule = {
  code: 'no-kill-switch',
  check(drill) {
    return drill.killSwitch.length > 0
      ? []
      : [
          {
            path: ['faults'],
            severity: 'warning',
            message: 'no kill-switch conditions: only maxDuration, Ctrl-C, the stop file and the no-data guard protect this drill',
          },
        ];
  },
};

export const noExpectations: DrillRule = {
  code: 'no-expectations',
  check(drill) {
    const n = drill.expect.baseline.length + drill.expect.fault.length + drill.expect.recovery.length;
    return n > 0 ? [] : [{ path: ['probes'], severity: 'warning', message: 'no expectations: the drill cannot tell a held hypothesis from a violated one' }];
  },
};

export const noHypothesis: DrillRule = {
  code: 'no-hypothesis',
  check(drill) {
    return drill.hypothesis
      ? []
      : [{ path: ['name'], severity: 'warning', message: 'no hypothesis: write what you expect before the run, the report starts from it' }];
  },
};

export const killConditionOptions: DrillRule = {
  code: 'kill-condition-options',
  check(drill) {
    return drill.killSwitch.flatMap((k, i) => [
      ...(k.for !== undefined && k.latencyAbove === undefined && k.valueAbove === undefined && k.valueBelow === undefined && k.alertFiring === undefined
        ? [{ path: ['killSwitch', i, 'for'], message: '`for` goes with latencyAbove, valueAbove, valueBelow or alertFiring' }]
        : []),
      ...(k.window !== undefined && k.successRateBelow === undefined && k.errorRatioAbove === undefined
        ? [{ path: ['killSwitch', i, 'window'], message: '`window` goes with successRateBelow or errorRatioAbove' }]
        : []),
    ]);
  },
};

export const readinessMissing: DrillRule = {
  code: 'no-readiness-check',
  check(drill) {
    return Object.entries(drill.targets).flatMap(([name, t]) =>
      t.start && !t.start.ready
        ? [{ path: ['targets', name, 'start'], severity: 'warning' as const, message: `target ${name} has no ready: check; the drill may start before it serves` }]
        : [],
    );
  },
};

export const trafficShare: DrillRule = {
  code: 'traffic-share',
  check(drill) {
    const limit = drill.blastRadius.trafficShare;
    if (limit === undefined) return [];
    return drill.faults.flatMap((f, i) =>
      f.type === 'proxy' && f.toxicity > limit
        ? [{ path: ['faults', i, 'toxicity'], message: `toxicity ${Math.round(f.toxicity * 100)}% is more traffic than blastRadius.trafficShare allows (${Math.round(limit * 100)}%)` }]
        : [],
    );
  },
};
