/** Judging a drill's expectations against the samples of the phases they belong to. */
import { samplesInWindow } from '../journal/sample-phase.js';
import { formatDurationMs } from '../drill/duration.js';
import type { Drill, Expectation, PhaseName } from '../drill/schema.js';
import type { ExpectationResult, PhaseRecord, SampleSet } from '../journal/types.js';
import { describeMetric, isValueMetric, metricOf } from './expectation-metric.js';
import { measure, type PhaseWindow } from './metric-measures.js';
import { evaluateValueExpectation } from './value-expectations.js';
import { formatRelative } from '../values/relative-time.js';

export type { PhaseWindow } from './metric-measures.js';

export interface EvaluateOptions {
  /** a passing result with less margin than this share is flagged as a near miss */
  nearMissShare: number;
  /** when the last fault was reverted; recoversWithin counts from here (else from the phase start) */
  lastRevertT?: number;
}

const JUDGED_PHASES = ['baseline', 'fault', 'recovery'] as const satisfies readonly PhaseName[];

/** Judges one expectation on the samples of its probe with `phase.startT <= t < phase.endT`. */
export function evaluateExpectation(
  exp: Expectation,
  phase: PhaseWindow,
  samples: SampleSet,
  options: EvaluateOptions,
): ExpectationResult {
  const spec = metricOf(exp);
  const head = { phase: phase.name, probe: exp.probe, ...describeMetric(spec), metric: spec.metric, ...(exp.name ? { name: exp.name } : {}) };
  if (isValueMetric(spec)) return evaluateValueExpectation(spec, head, phase, samples, options);
  // samples are recorded when a check ends, so a slow check can land after a later, faster one
  const window = samplesInWindow(samples, exp.probe, phase);
  if (window.length === 0) {
    const to = Number.isFinite(phase.endT) ? formatRelative(phase.endT) : 'its end';
    const note = `no samples of ${exp.probe} in the ${phase.name} phase (${formatRelative(phase.startT)} to ${to})`;
    return { ...head, actual: null, actualText: 'no data', ok: false, margin: null, nearMiss: false, evidence: { samples: 0, failures: 0, note } };
  }
  const failures = window.filter((s) => !s.ok);
  const m = measure(spec, { window, failures, phase, lastRevertT: options.lastRevertT });
  const evidence: ExpectationResult['evidence'] = { samples: window.length, failures: failures.length, note: m.note };
  if (m.worst) evidence.worst = m.worst;
  return {
    ...head,
    actual: m.actual,
    actualText: m.actualText,
    ok: m.ok,
    margin: m.margin,
    nearMiss: m.ok && m.margin !== null && m.margin < options.nearMissShare,
    evidence,
  };
}

/** Judges every baseline, fault and recovery expectation of the drill against the phases that ran. */
export function evaluateExpectations(
  drill: Drill,
  phases: readonly PhaseRecord[],
  samples: SampleSet,
  options: EvaluateOptions,
): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  for (const name of JUDGED_PHASES) {
    const record = phases.findLast((p) => p.name === name);
    for (const exp of drill.expect[name]) {
      if (!record) {
        results.push(notRun(exp, name));
        continue;
      }
      // a phase without an end was cut short (abort, kill switch): judge what it collected
      const result = evaluateExpectation(exp, { name, startT: record.startT, endT: record.endT ?? Infinity }, samples, options);
      if (record.endT === undefined) {
        result.evidence.note += `; the ${name} phase did not finish (planned ${formatDurationMs(record.plannedMs)})`;
      }
      results.push(result);
    }
  }
  return results;
}

function notRun(exp: Expectation, phase: PhaseName): ExpectationResult {
  const spec = metricOf(exp);
  return {
    phase,
    probe: exp.probe,
    ...describeMetric(spec),
    metric: spec.metric,
    ...(exp.name ? { name: exp.name } : {}),
    actual: null,
    actualText: 'not run',
    ok: false,
    margin: null,
    nearMiss: false,
    evidence: { samples: 0, failures: 0, note: `the ${phase} phase did not run` },
  };
}
