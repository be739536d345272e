import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProbeSpec } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import type { Clock } from '../clock/clock.js';
import { KillSwitch, noDataDeadlineMs, type Trip } from './kill-switch.js';

const probe = (intervalMs: number, timeoutMs: number): ProbeSpec => ({ interval: intervalMs, timeout: timeoutMs, tcp: { host: '127.0.0.1', port: 1 } });

// the kill switch's clock follows vitest's fake timers
const fakeClock: Clock = { now: () => Date.now(), date: () => new Date(), sleep: async () => undefined,
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

function sample(t: number, ok: boolean): Sample {
  return { probe: 'api', t, phase: 'fault', ok, latencyMs: 5, ...(ok ? {} : { error: 'status 503' }) };
}

describe('KillSwitch', () => {
  let trips: Trip[];
  let dir: string;
  const lastSampleAt = new Map<string, number>();

  beforeEach(() => {
    vi.useFakeTimers();
    trips = [];
    lastSampleAt.clear();
    dir = mkdtempSync(join(tmpdir(), 'fd-ks-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = (over: Partial<ConstructorParameters<typeof KillSwitch>[0]> = {}) =>
    new KillSwitch({
      conditions: [{ probe: 'api', consecutiveFailures: 2 }],
      probes: { api: probe(500, 1000) },
      noDataIntervals: 3,
      stopFiles: [join(dir, 'STOP')],
      maxDurationMs: 60_000,
      clock: fakeClock,
      lastSampleAt,
      onTrip: (t) => trips.push(t),
      ...over,
    });

  it('trips synchronously on the sample that meets a condition, and only once', () => {
    const ks = make();
    ks.start();
    ks.observe(sample(0, false));
    expect(trips).toEqual([]);
    ks.observe(sample(500, false));
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ kind: 'probe', condition: 'api: 2 consecutive failures' });
    expect(trips[0]?.samples).toHaveLength(2);
    ks.observe(sample(1000, false));
    ks.trip('operator', 'operator abort', 'again');
    expect(trips).toHaveLength(1);
    ks.stop();
  });

  it('trips when maxDuration is reached', () => {
    const ks = make({ maxDurationMs: 5000 });
    ks.start();
    vi.advanceTimersByTime(4999);
    expect(trips).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(trips[0]?.kind).toBe('max-duration');
    ks.stop();
  });

  it('trips when a stop file appears', () => {
    const ks = make();
    ks.start();
    vi.advanceTimersByTime(300);
    expect(trips).toEqual([]);
    writeFileSync(join(dir, 'STOP'), '');
    vi.advanceTimersByTime(150);
    expect(trips[0]?.kind).toBe('stop-file');
    ks.stop();
  });

  it('trips when a probe goes silent, but only once probes are armed and past the deadline', () => {
    const ks = make();
    ks.start();
    vi.advanceTimersByTime(10_000);
    expect(trips).toEqual([]); // not armed yet: preflight has not started probing
    ks.armProbes();
    lastSampleAt.set('api', Date.now());
    // deadline: max(3 × 500 ms, 1000 ms timeout + 500 ms) = 1.5 s
    vi.advanceTimersByTime(1400);
    expect(trips).toEqual([]);
    lastSampleAt.set('api', Date.now());
    vi.advanceTimersByTime(1400);
    expect(trips).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(trips[0]).toMatchObject({ kind: 'no-data', condition: 'api: no data for 3 intervals' });
    ks.stop();
  });

  it('stops all its timers', () => {
    const ks = make({ maxDurationMs: 1000 });
    ks.start();
    ks.stop();
    vi.advanceTimersByTime(5000);
    expect(trips).toEqual([]);
  });
});

describe('noDataDeadlineMs', () => {
  it('never declares a slow check silent before its timeout has passed', () => {
    expect(noDataDeadlineMs(probe(250, 1000), 3)).toBe(1250);
    expect(noDataDeadlineMs(probe(1000, 500), 3)).toBe(3000);
  });
});
