import { getEventListeners, getMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../drill/schema.js';
import { systemClock } from '../clock/clock.js';
import { LISTENERS_PER_LOOP, ProbeScheduler } from './probe-scheduler.js';

const PROBES = 100;
const ROUNDS = 15;

describe('ProbeScheduler with many probes', () => {
  it('holds a bounded number of abort listeners that does not grow round after round, under the limit it sets', async () => {
    const probes: Record<string, ProbeSpec> = {};
    for (let i = 0; i < PROBES; i++) probes[`p${i}`] = { interval: 5, tcp: { port: 1 } } as unknown as ProbeSpec;
    const seen = new Map<number, number>();
    let limit = 0;
    let rounds = 0;
    const scheduler = new ProbeScheduler({
      probes,
      clock: systemClock,
      runTime: (ms) => ms,
      phase: () => 'baseline',
      onSample: () => {},
      run: async (spec, signal) => {
        // what a probe does: listen while the check is in flight, let go when it settles
        const onAbort = (): void => {};
        signal.addEventListener('abort', onAbort, { once: true });
        await new Promise((r) => setTimeout(r, 1));
        const round = Math.floor(rounds++ / PROBES);
        seen.set(round, Math.max(seen.get(round) ?? 0, getEventListeners(signal, 'abort').length));
        limit = getMaxListeners(signal);
        signal.removeEventListener('abort', onAbort);
        return { ok: true, latencyMs: 1 };
      },
    });
    scheduler.start();
    for (let i = 0; i < 400 && rounds < PROBES * ROUNDS; i++) await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    expect(rounds).toBeGreaterThanOrEqual(PROBES * ROUNDS);
    const counts = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    const most = Math.max(...counts);
    expect(most).toBeLessThanOrEqual(PROBES * LISTENERS_PER_LOOP);
    expect(most).toBeLessThanOrEqual(limit);
    // no growth: the late rounds hold no more listeners than the whole fleet of loops can
    expect(Math.max(...counts.slice(-3))).toBeLessThanOrEqual(PROBES * 2);
  });
});

describe('ProbeScheduler.holdWhile', () => {
  it('starts no check while the held work runs, and resumes when it settles, also when it fails', async () => {
    const starts: number[] = [];
    const scheduler = new ProbeScheduler({
      probes: { p: { interval: 2, tcp: { port: 1 } } as unknown as ProbeSpec },
      clock: systemClock,
      runTime: (ms) => ms,
      phase: () => 'fault',
      onSample: () => {},
      run: async () => {
        starts.push(performance.now());
        await new Promise((r) => setTimeout(r, 1));
        return { ok: true, latencyMs: 1 };
      },
    });
    scheduler.start();
    for (let i = 0; i < 200 && starts.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    let fail!: (e: Error) => void;
    scheduler.holdWhile(new Promise<void>((_, reject) => (fail = reject)));
    // a check in flight when the hold began may still start its successor's wait; let it finish
    await new Promise((r) => setTimeout(r, 20));
    const held = starts.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(starts.length).toBe(held);
    fail(new Error('an undo failed'));
    for (let i = 0; i < 200 && starts.length < held + 3; i++) await new Promise((r) => setTimeout(r, 5));
    await scheduler.stop();
    expect(starts.length).toBeGreaterThanOrEqual(held + 3);
  });
});
