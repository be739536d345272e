import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../../drill/schema.js';
import { killSwitchJournal, passedJournal } from '../../../test/fixtures/journals/build.js';
import { buildAar } from './build.js';

describe('chart data', () => {
  it('has the phases, the moments of the run and each threshold over its own phase', () => {
    const { charts } = buildAar(killSwitchJournal());
    expect(charts.phases.map((p) => p.name)).toEqual(['preflight', 'baseline', 'fault', 'recovery']);
    expect(charts.markers.map((m) => m.kind)).toEqual(['inject', 'kill-switch', 'revert', 'recovered']);
    const probe = charts.probes[0];
    expect(probe).toMatchObject({ probe: 'api-health', measure: 'latency', downsampled: false });
    expect(probe?.thresholds.find((t) => t.label === 'fault: latencyP95 < 800ms')).toMatchObject({ axis: 'measure', value: 800, fromT: 13000, toT: 16060, held: false });
    expect(probe?.thresholds.find((t) => t.label === 'baseline: successRate >= 99%')).toMatchObject({ axis: 'success', value: 99, held: true });
    expect(probe?.markers.map((m) => m.kind)).toEqual(['recover-by', 'first-failure']);
  });

  it('gives a trailing success rate that falls while checks fail and comes back', () => {
    const probe = buildAar(killSwitchJournal()).charts.probes[0];
    const at = (t: number) => probe?.successPct[probe.t.findIndex((x) => x >= t)] ?? -1;
    expect(at(12_000)).toBe(100);
    expect(at(16_000)).toBeLessThan(60);
    expect(at(40_000)).toBe(100);
    expect(probe?.failed.length).toBe(killSwitchJournal().samples.filter((s) => !s.ok).length);
  });

  it('draws the value a metrics probe read, leaving out what it could not read', () => {
    const j = passedJournal();
    const spec = j.drill.spec.probes['api-health'] as ProbeSpec;
    j.drill.spec.probes['api-health'] = { ...spec, http: undefined, prometheus: { url: 'http://127.0.0.1:9090', query: 'up', reduce: 'max', empty: 'fail', headers: {}, grace: 10_000 } } as ProbeSpec;
    j.samples = j.samples.map((s, i) => (i === 5 ? { ...s, ok: false } : { ...s, ok: true, value: i % 10 }));
    const probe = buildAar(j).charts.probes[0];
    expect(probe?.measure).toBe('value');
    expect(probe?.y.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(probe?.y[5]).toBeNull();
    expect(probe?.failed).toEqual([5]);
  });
});
