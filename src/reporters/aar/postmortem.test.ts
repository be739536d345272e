import { describe, expect, it } from 'vitest';
import { failedJournal, passedJournal } from '../../../test/fixtures/journals/build.js';
import type { Journal, Sample } from '../../journal/types.js';
import { buildAar } from './build.js';
import { postmortemSection } from './postmortem.js';

/** The failed fixture with an SLO on its probe, people, links, and the team's alert as a probe. */
function withPostmortemFields(j: Journal<Sample[]>, alert: { firesAfterInjectMs?: number }): Journal<Sample[]> {
  const spec = j.drill.spec;
  spec.slo = { probe: 'api-health', objective: 0.999, window: 30 * 86_400_000 };
  spec.facilitator = { name: 'Dana', role: 'incident commander' };
  spec.participants = [{ name: 'Sam', role: 'on-call' }];
  spec.links = [{ title: 'Shop dashboard', url: 'https://grafana.example/d/shop' }];
  spec.probes['shop-alert'] = { alert: { url: 'http://127.0.0.1:9093', source: 'alertmanager', alertname: 'ShopDown', labels: {} }, interval: 1000, timeout: 1000 } as unknown as Journal['drill']['spec']['probes'][string];
  const inject = Math.min(...j.faults.map((f) => f.injectedT ?? Infinity));
  const alertSamples: Sample[] = j.samples
    .filter((s) => s.probe === 'api-health')
    .map((s) => ({ ...s, probe: 'shop-alert', ok: alert.firesAfterInjectMs === undefined || s.t < inject + alert.firesAfterInjectMs }));
  j.samples.push(...alertSamples);
  return j;
}

describe('postmortem section', () => {
  it('states the impact per probe and the error budget burned against the SLO', () => {
    const j = withPostmortemFields(failedJournal(), {});
    const pm = postmortemSection(j, buildAar(j).facts.expectations);
    const fault = j.samples.filter((s) => s.probe === 'api-health' && s.phase === 'fault');
    const failed = fault.filter((s) => !s.ok).length;
    expect(pm.impact.probes).toEqual([{ probe: 'api-health', checks: fault.length, failed, share: failed / fault.length }]);
    // the alert probe is the team's alerting, not traffic
    expect(pm.impact.probes.map((p) => p.probe)).not.toContain('shop-alert');
    const slo = pm.impact.slo;
    expect(slo?.budgetMs).toBeCloseTo(0.001 * 30 * 86_400_000);
    const watched = j.samples.filter((s) => s.probe === 'api-health' && (s.phase === 'fault' || s.phase === 'recovery'));
    const span = j.phases.filter((p) => p.name === 'fault' || p.name === 'recovery').reduce((sum, p) => sum + ((p.endT ?? p.startT) - p.startT), 0);
    const bad = (watched.filter((s) => !s.ok).length / watched.length) * span;
    expect(slo?.badMs).toBeCloseTo(bad);
    expect(slo?.burned).toBeCloseTo(bad / (0.001 * 30 * 86_400_000));
    expect(slo?.text).toMatch(/of the 30d error budget \(43m12s at 99\.9%\)/);
  });

  it('says nobody\'s alert fired when the probes saw failures and the alert stayed quiet', () => {
    const j = withPostmortemFields(failedJournal(), {});
    const pm = postmortemSection(j, buildAar(j).facts.expectations);
    expect(pm.detection.finding).toBe("Nobody's alert fired: ShopDown stayed quiet while firedrill's probes saw failures.");
    expect(pm.wentBadly.fromData).toContain(pm.detection.finding);
  });

  it('puts the team\'s alert next to firedrill\'s detection when it fired', () => {
    const j = withPostmortemFields(failedJournal(), { firesAfterInjectMs: 4_000 });
    const pm = postmortemSection(j, buildAar(j).facts.expectations);
    const alert = pm.detection.alerts[0];
    expect(alert?.afterInjectMs).toBeGreaterThanOrEqual(4_000);
    expect(alert?.afterInjectMs).toBeLessThan(5_000);
    expect(pm.detection.finding).toMatch(/^The team's alert ShopDown fired 4\.\d+s after the injection; firedrill's probes saw the first failure/);
    expect(pm.wentWell.fromData).toContain(pm.detection.finding);
  });

  it('names the people and links, and merges the team\'s own lists from the notes', () => {
    const j = withPostmortemFields(failedJournal(), {});
    const notes = { source: 'notes.md', actions: [], premortem: [], whys: [], sections: [{ title: 'Went well', lines: ['- the runbook was right'] }, { title: 'Lucky', lines: ['- it was not peak traffic'] }] };
    const pm = postmortemSection(j, buildAar(j).facts.expectations, notes);
    expect(pm.people).toEqual([
      { name: 'Dana', role: 'incident commander' },
      { name: 'team-shop', role: 'drill owner' },
      { name: 'Sam', role: 'on-call' },
    ]);
    expect(pm.links).toEqual([{ title: 'Shop dashboard', url: 'https://grafana.example/d/shop' }]);
    expect(pm.wentWell.fromTeam).toEqual(['the runbook was right']);
    expect(pm.lucky.fromTeam).toEqual(['it was not peak traffic']);
    expect(pm.wentBadly.fromData.some((l) => /latencyP95 < 800ms was missed/.test(l))).toBe(true);
  });

  it('lists a near miss under lucky', () => {
    const j = passedJournal();
    const rows = buildAar(j).facts.expectations;
    const pm = postmortemSection(j, rows);
    expect(rows.some((r) => r.status === 'near-miss')).toBe(true);
    expect(pm.lucky.fromData.length).toBe(rows.filter((r) => r.status === 'near-miss').length);
  });
});
