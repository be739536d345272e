/**
 * Each expectation's live state while a step runs: holding, at risk (missing or close to its limit
 * in a phase that is still going), missed (its phase ended and it did not hold), or pending (its
 * phase has not started). Pure: the same evaluation the verdict uses, over what came in so far.
 */
import type { Drill } from '../drill/schema.js';
import type { PhaseRecord, Sample } from '../journal/types.js';
import { evaluateExpectations } from '../verdict/expectations.js';

export type LiveState = 'holding' | 'at risk' | 'missed' | 'pending';

export interface LiveExpectation {
  phase: string;
  probe: string;
  description: string;
  actualText: string;
  state: LiveState;
}

export function liveExpectations(drill: Drill, phases: readonly PhaseRecord[], samples: readonly Sample[], nearMissShare: number): LiveExpectation[] {
  const results = evaluateExpectations(drill, phases, samples, { nearMissShare });
  return results.map((r) => {
    const phase = phases.findLast((p) => p.name === r.phase);
    const running = phase !== undefined && phase.endT === undefined;
    const noData = r.actual === null;
    let state: LiveState;
    if (!phase || (running && noData)) state = 'pending';
    else if (running) state = r.ok && !r.nearMiss ? 'holding' : 'at risk';
    else state = r.ok ? 'holding' : 'missed';
    return { phase: r.phase, probe: r.probe, description: r.description, actualText: phase ? r.actualText : 'not yet', state };
  });
}
