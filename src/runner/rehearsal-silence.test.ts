import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { rehearsalOutcome } from './rehearsal-outcome.js';
import { silencesPastLimit } from './rehearsal-silence.js';

const probe: ProbeSpec = { interval: 500, timeout: 400, tcp: { host: '127.0.0.1', port: 1 } };
// limit: max(3 × 500, 400 + 500) = 1500 ms
const every = (probeName: string, from: number, to: number, step = 500): Sample[] => {
  const out: Sample[] = [];
  for (let t = from; t < to; t += step) out.push({ probe: probeName, t, phase: 'fault', ok: true, latencyMs: 5 });
  return out;
};

describe('where the no-data guard would have stopped a rehearsal', () => {
  it('finds a probe silent past its limit mid-run, with when and how long', () => {
    const samples = [...every('api', 0, 4000), ...every('api', 6500, 10_000), ...every('db', 0, 10_000)];
    const found = silencesPastLimit({ api: probe, db: probe }, 3, samples, 0, 10_000);
    expect(found).toEqual([{ probe: 'api', fromT: 3505, silentMs: 3000, limitMs: 1500 }]);
  });

  it('counts silence at the start (no first result) and at the end (results stopped)', () => {
    expect(silencesPastLimit({ api: probe }, 3, every('api', 2000, 10_000), 0, 10_000)).toMatchObject([{ probe: 'api', fromT: 0 }]);
    expect(silencesPastLimit({ api: probe }, 3, every('api', 0, 7000), 0, 10_000)).toMatchObject([{ probe: 'api', fromT: 6505 }]);
    expect(silencesPastLimit({ api: probe }, 3, [], 0, 10_000)).toMatchObject([{ probe: 'api', silentMs: 10_000 }]);
  });

  it('finds nothing when every gap stays within the limit (a slow check is data, not silence)', () => {
    const slow = every('api', 0, 10_000).map((s, i) => (i === 5 ? { ...s, ok: false, latencyMs: 400, error: 'timeout' } : s));
    expect(silencesPastLimit({ api: probe }, 3, slow, 0, 10_000)).toEqual([]);
  });

  it('a rehearsal with a silence is not passed as "every probe answered"', () => {
    const base = { killSwitch: { tripped: false }, faults: [], expectations: [] };
    const silence = { probe: 'api', fromT: 3505, silentMs: 3000, limitMs: 1500 };
    const failed = rehearsalOutcome({ ...base, silences: [silence] });
    expect(failed.verdict).toBe('failed');
    expect(failed.reason).toMatch(/the no-data guard would have stopped the drill \(probe api produced no result for 3(\.0)? ?s/);
    expect(rehearsalOutcome(base).reason).toMatch(/every probe answered within its no-data limit/);
  });
});
