/** Rules about time: the plan must fit maxDuration, and probes must be able to keep up. */
import { formatDurationMs } from '../duration.js';
import type { Drill } from '../schema.js';
import type { DrillRule, RuleProblem } from './contract.js';

/** The fault window: from the first injection to the end of the longest fault. */
export function faultWindowMs(drill: Drill): number {
  return Math.max(0, ...drill.faults.map((f) => f.startAfter + f.duration));
}

/** Everything the drill plans to spend, preflight to the end of recovery. */
export function plannedDurationMs(drill: Drill): number {
  return drill.phases.preflight + drill.phases.baseline + faultWindowMs(drill) + drill.phases.recovery;
}

export const durationExceedsMax: DrillRule = {
  code: 'duration-exceeds-max',
  check(drill) {
    const planned = plannedDurationMs(drill);
    const max = drill.blastRadius.maxDuration;
    if (planned <= max) return [];
    return [
      {
        path: ['blastRadius', 'maxDuration'],
        message: `the phases need ${formatDurationMs(planned)} (preflight ${formatDurationMs(drill.phases.preflight)} + baseline ${formatDurationMs(drill.phases.baseline)} + faults ${formatDurationMs(faultWindowMs(drill))} + recovery ${formatDurationMs(drill.phases.recovery)}) but maxDuration is ${formatDurationMs(max)}; shorten the phases or raise maxDuration`,
      },
    ];
  },
};

export const faultDurationPositive: DrillRule = {
  code: 'fault-duration',
  check(drill) {
    return drill.faults.flatMap((f, i) =>
      f.duration > 0 ? [] : [{ path: ['faults', i, 'duration'], message: 'a fault needs a duration longer than 0' }],
    );
  },
};

export const recoversWithinPlacement: DrillRule = {
  code: 'recovers-within',
  check(drill) {
    const problems: RuleProblem[] = [];
    for (const phase of ['baseline', 'fault'] as const) {
      drill.expect[phase].forEach((e, i) => {
        if (e.recoversWithin !== undefined) {
          problems.push({ path: ['expect', phase, i, 'recoversWithin'], message: 'recoversWithin belongs under expect.recovery' });
        }
      });
    }
    drill.expect.recovery.forEach((e, i) => {
      if (e.recoversWithin !== undefined && e.recoversWithin > drill.phases.recovery) {
        problems.push({
          path: ['expect', 'recovery', i, 'recoversWithin'],
          message: `recoversWithin ${formatDurationMs(e.recoversWithin)} is longer than the recovery phase (${formatDurationMs(drill.phases.recovery)}); it could never be judged`,
        });
      }
    });
    return problems;
  },
};

export const phaseTooShortForProbes: DrillRule = {
  code: 'phase-too-short',
  check(drill) {
    const problems: RuleProblem[] = [];
    for (const phase of ['baseline', 'recovery'] as const) {
      for (const e of drill.expect[phase]) {
        const probe = drill.probes[e.probe];
        if (probe && drill.phases[phase] < probe.interval * 3) {
          problems.push({
            path: ['phases', phase],
            severity: 'warning',
            message: `the ${phase} phase (${formatDurationMs(drill.phases[phase])}) holds fewer than 3 samples of probe ${e.probe} (every ${formatDurationMs(probe.interval)}); its expectations rest on too little data`,
          });
          break;
        }
      }
    }
    return problems;
  },
};
