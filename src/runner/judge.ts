/**
 * Stage 4, judge: once everything is reverted and stopped, the expectations, the run's metrics and
 * the verdict are computed from the journal alone, and the journal is closed.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { Journal } from '../journal/types.js';
import { evaluateExpectations } from '../verdict/expectations.js';
import { computeRunMetrics } from '../verdict/run-metrics.js';
import { decideOutcome, type OutcomeInput } from './outcome.js';
import { rehearsalOutcome } from './rehearsal-outcome.js';
import { silencesPastLimit, type Silence } from './rehearsal-silence.js';
import type { RunContext } from './run-context.js';

export function judge(ctx: RunContext): Journal {
  const { rec, drill, state } = ctx;
  // every probe loop has stopped: the samples come back from the sample file, once
  rec.collectSamples();
  // a rehearsal's "revert" is the planned end of the fault window: recovery checks measure from there
  const lastRevertT = ctx.options.rehearse ? rec.journal.phases.find((p) => p.name === 'fault')?.endT : maxDefined(rec.journal.faults.map((f) => f.revertedT));
  const firstInjectT = minDefined(rec.journal.faults.map((f) => f.injectedT));
  // a refused run tested nothing: its preflight samples are not evidence for any expectation
  rec.journal.expectations = state.refused
    ? []
    : evaluateExpectations(drill, rec.journal.phases, rec.journal.samples, { nearMissShare: ctx.options.nearMissShare, ...(lastRevertT !== undefined ? { lastRevertT } : {}) });
  rec.journal.metrics = computeRunMetrics({
    samples: rec.journal.samples,
    ...(firstInjectT !== undefined ? { firstInjectT } : {}),
    ...(lastRevertT !== undefined ? { lastRevertT } : {}),
    ...(state.revertStartT !== undefined ? { revertStartT: state.revertStartT } : {}),
  });
  const recovered = rec.journal.metrics.timeToRecoverMs;
  if (lastRevertT !== undefined && recovered !== null) {
    rec.event('recovered', `healthy again ${formatDurationMs(recovered)} after the last revert`, { timeToRecoverMs: recovered }, 'recovery');
  }
  const outcomeOf = ctx.options.rehearse
    ? (input: OutcomeInput) => rehearsalOutcome({ ...input, silences: rehearsalSilences(ctx), ...(rec.journal.rehearsal?.killSwitch ? { wouldHaveTripped: rec.journal.rehearsal.killSwitch } : {}) })
    : decideOutcome;
  rec.journal.outcome = outcomeOf({
    ...(state.refused ? { refused: state.refused } : {}),
    ...(state.internalError ? { internalError: state.internalError } : {}),
    killSwitch: rec.journal.killSwitch,
    faults: rec.journal.faults,
    expectations: rec.journal.expectations,
  });
  rec.event('run-end', rec.journal.outcome.reason, { verdict: rec.journal.outcome.verdict, exitCode: rec.journal.outcome.exitCode });
  const journal = rec.finish();
  ctx.observer.onFinished(journal);
  return journal;
}

function maxDefined(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
}

function minDefined(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.min(...v) : undefined;
}

/** Where the no-data guard, off in a rehearsal, would have stopped the real run: from the probes' start to the last phase's end. */
function rehearsalSilences(ctx: RunContext): Silence[] {
  const phases = ctx.rec.journal.phases;
  const fromT = phases[0]?.startT;
  const toT = maxDefined(phases.map((p) => p.endT));
  if (fromT === undefined || toT === undefined) return [];
  return silencesPastLimit(ctx.drill.probes, ctx.drill.safety.noDataIntervals, ctx.rec.journal.samples, fromT, toT);
}
