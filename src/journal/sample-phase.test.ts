import { describe, expect, it } from 'vitest';
import { passedJournal } from '../../test/fixtures/journals/build.js';
import { probePhaseStats } from '../reporters/aar/probe-stats.js';
import { evaluateExpectation } from '../verdict/expectations.js';
import { expectationSchema } from '../drill/schema.js';
import { phaseAt, samplesOfPhase } from './sample-phase.js';
import type { PhaseRecord, Sample } from './types.js';

const phases: PhaseRecord[] = [
  { name: 'baseline', startT: 0, endT: 1000, plannedMs: 1000 },
  { name: 'fault', startT: 1000, endT: 2000, plannedMs: 1000 },
  { name: 'recovery', startT: 2100, plannedMs: 1000 },
];

describe('the phase of a sample', () => {
  it('is the phase its check started in; between phases it is none', () => {
    expect(phaseAt(phases, 999.9)).toBe('baseline');
    expect(phaseAt(phases, 1000)).toBe('fault');
    expect(phaseAt(phases, 2000.4)).toBeUndefined();
    expect(phaseAt(phases, 5000)).toBe('recovery');
  });

  it('gives the Probes table and the expectation the same samples, even for one labelled by the runner just after the phase ended', () => {
    const journal = passedJournal();
    const fault = journal.phases.find((p) => p.name === 'fault')!;
    const late: Sample = { probe: 'api-health', t: fault.endT! + 0.4, phase: 'fault', ok: true, latencyMs: 3 };
    journal.samples.push(late);
    const row = probePhaseStats(journal).find((r) => r.probe === 'api-health' && r.phase === 'fault')!;
    const window = { name: 'fault' as const, startT: fault.startT, endT: fault.endT! };
    const result = evaluateExpectation(expectationSchema.parse({ probe: 'api-health', successRate: '>= 0%' }), window, journal.samples, { nearMissShare: 0.1 });
    expect(row.samples).toBe(result.evidence.samples);
    expect(samplesOfPhase(journal.samples, journal.phases, 'fault', 'api-health')).not.toContain(late);
  });
});
