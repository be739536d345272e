import { describe, expect, it } from 'vitest';
import { longJournal } from '../../test/fixtures/journals/long.js';
import { allSamples, probesOf, samplesOfProbe } from './sample-index.js';
import { samplesInWindow, samplesOfPhase } from './sample-phase.js';
import { SampleTable } from './sample-table.js';
import type { Sample } from './types.js';
import { serializeJournal } from './write.js';

const odd: Sample[] = [
  { probe: 'db', t: 0.1, phase: 'preflight', ok: true, latencyMs: 1.234 },
  { probe: 'api', t: 0, phase: 'preflight', ok: false, latencyMs: 1000, status: 503, error: 'status 503', detail: 'Bearer *** refused' },
  { probe: 'api', t: 250.05, phase: 'baseline', ok: true, latencyMs: 3, status: 200 },
  { probe: 'db', t: 250, phase: 'baseline', ok: false, latencyMs: 0.5, error: 'status 503' },
  { probe: 'm', t: 300, phase: 'fault', ok: true, latencyMs: 2, value: 1.5e308, outcome: 'value' },
  { probe: 'm', t: 200, phase: 'baseline', ok: false, latencyMs: 2, outcome: 'unreachable', error: 'connect ECONNREFUSED' },
];

describe('the sample table', () => {
  it('gives back every field of every sample, each probe in time order, same-time samples in recorded order', () => {
    const table = SampleTable.fromSamples(odd);
    const sorted = [...odd].sort((a, b) => a.t - b.t);
    expect(table.toArray()).toEqual(sorted);
    expect(samplesOfProbe(table, 'm')).toEqual([odd[5], odd[4]]);
    expect(probesOf(table)).toEqual(['db', 'api', 'm']);
    expect(table.probesByFirstSample()).toEqual(['api', 'db', 'm']);
    expect(samplesInWindow(table, 'api', { startT: 100, endT: 300 })).toEqual([odd[2]]);
    expect(samplesOfPhase(table, [{ name: 'baseline', startT: 200, endT: 260, plannedMs: 60 }], 'baseline')).toEqual([odd[5], odd[3], odd[2]]);
  });

  it('masks its texts in place without touching the samples around them', () => {
    const table = SampleTable.fromSamples(odd);
    table.mapTexts((text) => text.replaceAll('503', '***'));
    expect(allSamples(table).filter((s) => s.error !== undefined).map((s) => s.error)).toEqual(['status ***', 'connect ECONNREFUSED', 'status ***']);
    expect(allSamples(table).map(({ error: _e, detail: _d, ...rest }) => rest)).toEqual([...odd].sort((a, b) => a.t - b.t).map(({ error: _e, detail: _d, ...rest }) => rest));
  });

  it('writes every field of odd samples byte for byte as the samples as objects do (off-step times, values, outcomes, texts)', () => {
    const hour = longJournal(2, 60_000);
    const withOdd = [...odd, { probe: 'api', t: 400, phase: 'recovery', ok: true, latencyMs: 70_000.5, status: 70_000 } satisfies Sample];
    expect(serializeJournal({ ...hour, samples: SampleTable.fromSamples(withOdd) })).toBe(serializeJournal({ ...hour, samples: [...withOdd].sort((a, b) => a.t - b.t) }));
  });

  it('writes the journal file byte for byte as the samples as objects do (an hour of 20 probes)', () => {
    const hour = longJournal(20, 1000);
    const table = SampleTable.fromSamples(hour.samples);
    expect(serializeJournal({ ...hour, samples: table })).toBe(serializeJournal(hour));
    expect(JSON.stringify({ ...hour, samples: table })).toBe(JSON.stringify({ ...hour, samples: JSON.parse(JSON.stringify(table)) as unknown }));
  });
});
