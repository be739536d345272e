import { describe, expect, it } from 'vitest';
import { killConditionSchema, type KillCondition } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import { describeCondition, KillConditionMonitor } from './kill-conditions.js';

const cond = (input: Record<string, unknown>): KillCondition => killConditionSchema.parse({ probe: 'api', ...input });

function ok(t: number, latencyMs = 20, probe = 'api'): Sample {
  return { probe, t, phase: 'fault', ok: true, latencyMs };
}
function fail(t: number, error = 'timeout after 1s', latencyMs = 1000, probe = 'api'): Sample {
  return { probe, t, phase: 'fault', ok: false, latencyMs, error };
}

/** feeds samples in order and returns the index and trip of the first trip */
function feed(monitor: KillConditionMonitor, samples: readonly Sample[]) {
  for (let i = 0; i < samples.length; i++) {
    const trip = monitor.observe(samples[i] as Sample);
    if (trip) return { index: i, trip };
  }
  return undefined;
}

describe('describeCondition', () => {
  it('reads each condition the way a person would say it', () => {
    expect(describeCondition(cond({ consecutiveFailures: 3 }))).toBe('api: 3 consecutive failures');
    expect(describeCondition(cond({ consecutiveFailures: 1 }))).toBe('api: any failure');
    expect(describeCondition(cond({ latencyAbove: '2s', for: '5s' }))).toBe('api: latency above 2s for 5s');
    expect(describeCondition(cond({ latencyAbove: '750ms' }))).toBe('api: latency above 750ms');
    expect(describeCondition(cond({ successRateBelow: '90%', window: '10s' }))).toBe('api: success rate below 90% over 10s');
    expect(describeCondition(cond({ successRateBelow: '99.5%' }))).toBe('api: success rate below 99.5% over 10s');
  });
});

describe('KillConditionMonitor: consecutiveFailures', () => {
  it('trips on the n-th failure in a row with those samples and their errors', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 3 })]);
    const samples = [ok(0), fail(1000), fail(2000), { ...fail(3000), error: undefined, status: 503 }];
    const hit = feed(m, samples);
    expect(hit?.index).toBe(3);
    expect(hit?.trip).toEqual({
      condition: 'api: 3 consecutive failures',
      reason: '3 failures in a row: timeout after 1s, timeout after 1s, status 503',
      samples: samples.slice(1),
    });
  });

  it('starts counting again after a success', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 3 })]);
    expect(feed(m, [fail(0), fail(1000), ok(2000), fail(3000), fail(4000)])).toBeUndefined();
    expect(m.observe(fail(5000))?.samples.map((s) => s.t)).toEqual([3000, 4000, 5000]);
  });

  it('trips on the first failure when n is 1', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 1 })]);
    expect(m.observe(ok(0))).toBeUndefined();
    expect(m.observe(fail(1000, 'ECONNREFUSED', 2))?.reason).toBe('failed: ECONNREFUSED');
  });

  it('ignores samples of other probes, which neither count nor break the streak', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 2 })]);
    expect(m.observe(fail(0))).toBeUndefined();
    expect(m.observe(ok(100, 20, 'db'))).toBeUndefined();
    expect(m.observe(fail(200, 'boom', 5, 'db'))).toBeUndefined();
    expect(m.observe(fail(1000))?.samples.map((s) => s.t)).toEqual([0, 1000]);
  });

  it('groups the errors of a long streak', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 8 })]);
    const hit = feed(m, Array.from({ length: 8 }, (_, i) => (i < 6 ? fail(i * 1000) : fail(i * 1000, 'status 503', 5))));
    expect(hit?.trip.reason).toBe('8 failures in a row: timeout after 1s ×6, status 503 ×2');
    expect(hit?.trip.samples).toHaveLength(8);
  });

  it('stays quiet for a condition once it has tripped', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 1 })]);
    expect(m.observe(fail(0))).toBeDefined();
    expect(feed(m, [fail(1000), fail(2000), ok(3000), fail(4000)])).toBeUndefined();
  });
});

describe('KillConditionMonitor: latencyAbove', () => {
  it('trips on the first sample above the limit when there is no "for"', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s' })]);
    expect(m.observe(ok(0, 2000))).toBeUndefined(); // exactly at the limit is not above it
    const trip = m.observe(ok(1000, 2001));
    expect(trip).toEqual({ condition: 'api: latency above 2s', reason: 'latency 2s above 2s', samples: [ok(1000, 2001)] });
  });

  it('counts a failed sample as above the limit however fast it failed', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s' })]);
    expect(m.observe(fail(0, 'ECONNREFUSED', 3))?.reason).toBe('failed (ECONNREFUSED), counted as above 2s');
  });

  it('trips once the streak spans "for", from the first sample start to the current sample end', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s', for: '5s' })]);
    // span at t=2000 is 2000 + 2500 - 0 = 4500 < 5000
    expect(feed(m, [ok(0, 2500), ok(1000, 2500), ok(2000, 2500)])).toBeUndefined();
    const trip = m.observe(ok(2500, 2500)); // 2500 + 2500 - 0 = 5000: exactly "for"
    expect(trip?.condition).toBe('api: latency above 2s for 5s');
    expect(trip?.reason).toBe('latency above 2s for 5s: 4 samples in a row, slowest 2.5s');
    expect(trip?.samples.map((s) => s.t)).toEqual([0, 1000, 2000, 2500]);
  });

  it('does not trip one millisecond short of "for"', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s', for: '5s' })]);
    expect(feed(m, [ok(0, 2500), ok(2499, 2500)])).toBeUndefined();
  });

  it('starts over after a fast sample', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s', for: '5s' })]);
    expect(feed(m, [ok(0, 3000), ok(1000, 3000), ok(2000, 100), ok(3000, 3000), ok(4000, 3000)])).toBeUndefined();
    expect(m.observe(ok(5000, 3000))?.samples.map((s) => s.t)).toEqual([3000, 4000, 5000]);
  });

  it('names the failures in a streak', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '500ms', for: '3s' })]);
    const hit = feed(m, [ok(0, 900), fail(1000), fail(2000)]);
    expect(hit?.trip.reason).toBe('latency above 500ms for 3s: 3 samples in a row, slowest 1s; 2 failed: timeout after 1s ×2');
  });

  it('keeps only the latest samples of a long streak', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '100ms', for: '10m' })]);
    const samples = Array.from({ length: 700 }, (_, i) => ok(i * 1000, 200));
    const hit = feed(m, samples);
    expect(hit?.index).toBe(600);
    expect(hit?.trip.samples).toHaveLength(20);
    expect(hit?.trip.samples.at(-1)?.t).toBe(600_000);
    expect(hit?.trip.reason).toContain('601 samples in a row');
  });
});

describe('KillConditionMonitor: successRateBelow', () => {
  it('waits for at least three samples in the window', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '90%' })]);
    expect(feed(m, [fail(0), fail(1000)])).toBeUndefined();
    const trip = m.observe(fail(2000));
    expect(trip?.condition).toBe('api: success rate below 90% over 10s');
    expect(trip?.reason).toBe('success rate 0% (0/3) over the last 10s, below 90%; failures: timeout after 1s ×3');
    expect(trip?.samples.map((s) => s.t)).toEqual([0, 1000, 2000]);
  });

  // eight ok, then two failures: 8 of 10 = 80% at the last sample, and never lower before it
  const eightOfTen = [...Array.from({ length: 8 }, (_, i) => ok(i * 1000)), fail(8000), fail(9000)];

  it('does not trip exactly at the limit', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '80%', window: '10s' })]);
    expect(feed(m, eightOfTen)).toBeUndefined();
  });

  it('trips just below the limit', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '81%', window: '10s' })]);
    const hit = feed(m, eightOfTen);
    expect(hit?.index).toBe(9);
    expect(hit?.trip.reason).toBe('success rate 80% (8/10) over the last 10s, below 81%; failures: timeout after 1s ×2');
    expect(hit?.trip.samples).toEqual(eightOfTen);
  });

  it('lets old failures slide out of the window', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '50%', window: '3s' })]);
    // at t=2000: 2 of 3 ok; at t=3000 and later the failure at 0 is gone
    expect(feed(m, [fail(0), ok(1000), ok(2000), ok(3000)])).toBeUndefined();
    // at t=5000 the window is (2000, 5000]: ok(3000), fail(4000), fail(5000)
    expect(m.observe(fail(4000))).toBeUndefined();
    expect(m.observe(fail(5000))?.samples.map((s) => s.t)).toEqual([3000, 4000, 5000]);
  });

  it('leaves out a sample exactly one window old', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '70%', window: '3s' })]);
    expect(feed(m, [ok(0), ok(1000), ok(2000)])).toBeUndefined();
    // (0, 3000] holds 2 ok of 3 = 66.7%; counting the sample at 0 would make it 75%
    const trip = m.observe(fail(3000));
    expect(trip?.samples.map((s) => s.t)).toEqual([1000, 2000, 3000]);
    expect(trip?.reason).toContain('66.7% (2/3)');
  });

  it('places a late-arriving sample by its start time', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '50%', window: '10s' })]);
    expect(feed(m, [ok(0), fail(2000)])).toBeUndefined();
    expect(m.observe(fail(1000))?.samples.map((s) => s.t)).toEqual([0, 1000, 2000]);
  });

  it('ignores a sample that arrives after it has left the window', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '50%', window: '2s' })]);
    expect(feed(m, [ok(10_000), ok(10_500), fail(11_000), fail(3000)])).toBeUndefined();
  });

  it('slides over a long run without tripping when the rate stays healthy', () => {
    const m = new KillConditionMonitor([cond({ successRateBelow: '50%', window: '5s' })]);
    const samples = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? fail(i * 100) : ok(i * 100)));
    expect(feed(m, samples)).toBeUndefined();
    expect(m.observe(fail(500_000))).toBeUndefined();
  });
});

describe('KillConditionMonitor: several conditions', () => {
  it('returns the first condition in drill order when two trip on the same sample, and neither again', () => {
    const m = new KillConditionMonitor([cond({ latencyAbove: '2s' }), cond({ consecutiveFailures: 1 })]);
    expect(m.observe(fail(0))?.condition).toBe('api: latency above 2s');
    expect(m.observe(fail(1000))).toBeUndefined();
  });

  it('watches each probe with its own conditions', () => {
    const m = new KillConditionMonitor([cond({ consecutiveFailures: 2 }), cond({ probe: 'db', consecutiveFailures: 1 })]);
    expect(m.observe(fail(0))).toBeUndefined();
    expect(m.observe(fail(100, 'ECONNREFUSED', 2, 'db'))?.condition).toBe('db: any failure');
    expect(m.observe(fail(1000))?.condition).toBe('api: 2 consecutive failures');
  });

  it('never trips without conditions', () => {
    expect(feed(new KillConditionMonitor([]), [fail(0), fail(1000), fail(2000)])).toBeUndefined();
  });
});
