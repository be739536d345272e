import { describe, expect, it } from 'vitest';
import { killConditionSchema, probeSchema, type KillCondition } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { describeCondition, KillConditionMonitor } from './kill-conditions.js';
import { SourceWatch } from './source-watch.js';
import type { Trip } from './trackers/tracker.js';

const cond = (input: Record<string, unknown>): KillCondition => killConditionSchema.parse({ probe: 'p', ...input });

function v(t: number, value: number, probe = 'p', extra: Partial<Sample> = {}): Sample {
  return { probe, t, phase: 'fault', ok: true, latencyMs: 10, value, outcome: 'value', ...extra };
}
function blind(t: number, outcome: Sample['outcome'] = 'unreachable', error = 'unreachable: ECONNREFUSED', probe = 'p'): Sample {
  return { probe, t, phase: 'fault', ok: false, latencyMs: 2, outcome, error };
}
function feed(observe: (s: Sample) => Trip | undefined, samples: readonly Sample[]) {
  for (let i = 0; i < samples.length; i++) {
    const trip = observe(samples[i] as Sample);
    if (trip) return { index: i, trip };
  }
  return undefined;
}

describe('describeCondition for values', () => {
  it('reads value, alert and error-ratio conditions', () => {
    expect(describeCondition(cond({ valueAbove: 0.2, for: '2s' }))).toBe('p: value above 0.2 for 2s');
    expect(describeCondition(cond({ valueBelow: 10 }))).toBe('p: value below 10');
    expect(describeCondition(cond({ alertFiring: true, for: '5s' }))).toBe('p: alert firing for 5s');
    expect(describeCondition(cond({ errorRatioAbove: '5%', total: 'all', window: '30s' }))).toBe('p / all: error ratio above 5% over 30s');
  });
});

describe('value kill conditions', () => {
  it('valueAbove trips on the first value above the limit without for', () => {
    const m = new KillConditionMonitor([cond({ valueAbove: 0.2 })]);
    const hit = feed((s) => m.observe(s), [v(0, 0.1), v(1000, 0.2), v(2000, 0.25, 'p', { detail: '{route="/checkout"}' })]);
    expect(hit?.index).toBe(2);
    expect(hit?.trip).toMatchObject({ condition: 'p: value above 0.2', reason: 'value 0.25 above 0.2 ({route="/checkout"})' });
  });

  it('valueAbove with for needs every value above for that long; a healthy value starts over', () => {
    const m = new KillConditionMonitor([cond({ valueAbove: 1, for: '2s' })]);
    expect(feed((s) => m.observe(s), [v(0, 2), v(1000, 3), v(2000, 0.5), v(3000, 2), v(4000, 2)])).toBeUndefined();
    const hit = feed((s) => m.observe(s), [v(5000, 5)]);
    expect(hit?.trip.reason).toBe('value above 1 for 2.01s: 3 samples in a row, highest 5');
    expect(hit?.trip.samples.map((s) => s.t)).toEqual([3000, 4000, 5000]);
  });

  it('samples without a value neither extend nor break a streak', () => {
    const m = new KillConditionMonitor([cond({ valueBelow: 10, for: '1s' })]);
    const hit = feed((s) => m.observe(s), [v(0, 5), blind(500), v(1000, 4)]);
    expect(hit?.index).toBe(2);
    expect(hit?.trip.reason).toContain('lowest 4');
  });

  it('alertFiring trips on a firing alert sample, not on a source failure', () => {
    const m = new KillConditionMonitor([cond({ alertFiring: true })]);
    const firing: Sample = { probe: 'p', t: 2000, phase: 'fault', ok: false, latencyMs: 3, value: 1, outcome: 'value', error: 'alert ShopDown firing', detail: '{instance="a"}' };
    const hit = feed((s) => m.observe(s), [v(0, 0), blind(1000), firing]);
    expect(hit?.index).toBe(2);
    expect(hit?.trip).toMatchObject({ condition: 'p: alert firing', reason: 'alert ShopDown firing ({instance="a"})' });
  });

  it('errorRatioAbove reads both probes over the window', () => {
    const m = new KillConditionMonitor([cond({ errorRatioAbove: '5%', total: 'all', window: '10s' })]);
    const samples = [v(0, 1, 'all'), v(0, 0), v(1000, 1, 'all'), v(1000, 0), v(2000, 1, 'all'), v(2000, 0.3)];
    const hit = feed((s) => m.observe(s), samples);
    expect(hit?.index).toBe(5);
    expect(hit?.trip.reason).toBe('error ratio 10% (0.1 / 1) over the last 10s, above 5%');
  });
});

describe('SourceWatch: the fail-safe of value probes', () => {
  const probes = {
    p: probeSchema.parse({ prometheus: { url: 'http://127.0.0.1:9', query: 'up', grace: '3s' } }),
    web: probeSchema.parse({ http: { url: 'http://127.0.0.1:9/' } }),
  };

  it('trips when the source stays unreadable past its grace, with the reason and the samples', () => {
    const watch = new SourceWatch(probes);
    const samples = [blind(0), blind(1000, 'http-error', 'http error: status 502'), blind(2000), blind(3000)];
    const hit = feed((s) => watch.observe(s), samples);
    expect(hit?.index).toBe(3);
    expect(hit?.trip.condition).toBe('p: Prometheus source unreachable for 3s');
    expect(hit?.trip.reason).toBe(
      'the Prometheus source of probe p could not be read for 3s (grace 3s; 4 checks: unreachable: ECONNREFUSED ×3, http error: status 502); the runner cannot see the system, so it stops',
    );
  });

  it('starts over on any real answer, empty results included', () => {
    const watch = new SourceWatch(probes);
    expect(feed((s) => watch.observe(s), [blind(0), blind(2000), blind(2500, 'empty', 'empty result: x'), blind(3500), blind(5000)])).toBeUndefined();
  });

  it('ignores probes that read no metrics source', () => {
    const watch = new SourceWatch(probes);
    expect(feed((s) => watch.observe(s), [blind(0, undefined, 'ECONNREFUSED', 'web'), blind(10_000, undefined, 'ECONNREFUSED', 'web')])).toBeUndefined();
  });
});
