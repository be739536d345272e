import { describe, expect, it } from 'vitest';
import { probeSchema } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import type { Clock } from '../clock/clock.js';
import { KillSwitch, noDataDeadlineMs, type Trip } from './kill-switch.js';

const clock: Clock = { now: () => 0, date: () => new Date(0), sleep: async () => undefined,
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

function make(trips: Trip[]) {
  return new KillSwitch({
    conditions: [{ probe: 'errors', valueAbove: 0.5 }],
    probes: { errors: probeSchema.parse({ prometheus: { url: 'http://127.0.0.1:9', query: 'q', grace: '2s' }, interval: '500ms' }) },
    noDataIntervals: 3,
    stopFiles: [],
    maxDurationMs: 60_000,
    clock,
    lastSampleAt: new Map(),
    onTrip: (t) => trips.push(t),
  });
}

const refused = (t: number): Sample => ({ probe: 'errors', t, phase: 'fault', ok: false, latencyMs: 1, outcome: 'unreachable', error: 'unreachable: ECONNREFUSED' });

describe('KillSwitch with value probes', () => {
  it('trips as metrics-unreachable when a probe\'s source stays unreadable past its grace', () => {
    const trips: Trip[] = [];
    const ks = make(trips);
    for (const t of [0, 500, 1000, 1500]) ks.observe(refused(t));
    expect(trips).toEqual([]);
    ks.observe(refused(2000));
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ kind: 'metrics-unreachable', condition: 'errors: Prometheus source unreachable for 2s' });
    expect(trips[0]?.reason).toContain('the runner cannot see the system');
    ks.stop();
  });

  it('trips on the drill\'s value condition as a probe trip', () => {
    const trips: Trip[] = [];
    const ks = make(trips);
    ks.observe({ probe: 'errors', t: 0, phase: 'fault', ok: true, latencyMs: 1, value: 0.9, outcome: 'value' });
    expect(trips[0]).toMatchObject({ kind: 'probe', condition: 'errors: value above 0.5', reason: 'value 0.9 above 0.5' });
    ks.stop();
  });

  it('gives a value probe\'s own timeout to the no-data guard', () => {
    const probe = probeSchema.parse({ scrape: { url: 'http://127.0.0.1:9/metrics', metric: 'x', timeout: '5s' }, interval: '1s' });
    expect(noDataDeadlineMs(probe, 3)).toBe(6000);
  });
});
