import { describe, expect, it } from 'vitest';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { markdownReporter } from '../markdown/markdown-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { REPORT_VERSION, type JsonReport } from './json-report.js';

function report(render: string): JsonReport {
  return JSON.parse(render) as JsonReport;
}

const DOCUMENTED_KEYS = [
  'reportVersion', 'runId', 'journalVersion', 'tool', 'drill', 'environment', 'host', 'seed', 'startedAt', 'endedAt', 'durationMs',
  'verdict', 'exitCode', 'reason', 'runnerReason', 'expectations', 'expectationCounts', 'metrics', 'killSwitch', 'faults',
  'timeline', 'blastRadius', 'probes', 'checklist', 'observations', 'premortem', 'premortemMarks', 'actions', 'learning', 'notesSource',
];

describe('json report', () => {
  it('parses and carries exactly the documented top-level fields', () => {
    for (const journal of [passedJournal(), failedJournal(), killSwitchJournal(), revertFailedJournal()]) {
      const r = report(jsonReporter.render(journal));
      expect(Object.keys(r)).toEqual(DOCUMENTED_KEYS);
      expect(r.reportVersion).toBe(REPORT_VERSION);
      expect(r.runId).toBe(journal.runId);
    }
  });

  it('summarises the run for machines: verdict, exit code, expectations with stable keys, metrics', () => {
    const r = report(jsonReporter.render(failedJournal()));
    expect(r).toMatchObject({ verdict: 'failed', exitCode: 1, drill: { name: 'shop-backend-kill', file: 'drills/shop-backend-kill.yaml' } });
    expect(r.expectations.map((e) => [e.key, e.status])).toEqual([
      ['fault/api-health/latencyP95', 'missed'],
      ['recovery/api-health/recoversWithin', 'missed'],
      ['baseline/api-health/successRate', 'held'],
      ['fault/api-health/successRate', 'held'],
    ]);
    expect(r.expectations[1]).toMatchObject({ actual: 25108, limit: 10000, actualText: '25.1s' });
    expect(r.metrics).toEqual({ timeToDetectMs: 7332, timeToRecoverMs: 25108, revertDurationMs: 447, killSwitchReactionMs: null });
    expect(r.expectationCounts).toEqual({ total: 4, missed: 2, nearMisses: 0, noData: 0 });
  });

  it('records the kill switch with its samples and the blast radius actually hit', () => {
    const r = report(jsonReporter.render(killSwitchJournal()));
    expect(r.killSwitch).toMatchObject({ tripped: true, t: 16056, kind: 'probe', condition: 'api-health: 3 consecutive failures', reactionMs: 4 });
    expect(r.killSwitch.samples).toHaveLength(3);
    expect(r.killSwitch.samples[0]).toEqual({ t: 13051, probe: 'api-health', phase: 'fault', ok: false, latencyMs: 1000, status: null, error: 'timeout after 1s' });
    expect(r.blastRadius.contained).toBe(true);
    expect(r.blastRadius.touched).toEqual([
      { faultId: 'stall-backend', label: 'SIGSTOP backend pid 4242', type: 'process-pause', target: 'backend', pid: 4242, command: 'node examples/shop/backend.js --port 18081', status: 'reverted' },
    ]);
  });

  it('puts the failed revert first among the observations, with its manual fix', () => {
    const r = report(jsonReporter.render(revertFailedJournal()));
    expect(r.observations[0]).toMatchObject({ kind: 'revert-failed', severity: 'critical', fix: { commands: ['nft delete table inet firedrill_block'] } });
    expect(r.checklist.find((c) => c.id === 'reverted')?.answer).toBe('no');
    expect(r.faults.find((f) => f.faultId === 'block-backend-port')).toMatchObject({ status: 'revert-failed', revertedT: null, inPlaceMs: null });
  });

  it('writes null for absent values rather than leaving keys out', () => {
    const r = report(jsonReporter.render(passedJournal()));
    expect(r.killSwitch).toEqual({ tripped: false, t: null, kind: null, condition: null, reason: null, reactionMs: null, samples: [] });
    for (const e of r.timeline) expect(Object.keys(e)).toEqual(['t', 'clock', 'kind', 'phase', 'text', 'durationMs', 'derived']);
  });

  it('is a summary, not the raw journal: no sample list, no drill source', () => {
    const j = passedJournal();
    const text = jsonReporter.render(j);
    expect(text).not.toContain('"samples": [\n    {');
    expect(text).not.toContain('apiVersion');
    expect(text.length).toBeLessThan(JSON.stringify(j).length);
  });

  it('says the same things as the Markdown report', () => {
    const j = failedJournal();
    const r = report(jsonReporter.render(j));
    const md = markdownReporter.render(j);
    expect(md).toContain(`**Verdict: FAILED** — ${r.reason} (exit ${r.exitCode})`);
    for (const o of r.observations.filter((x) => x.kind === 'recovery-slow')) expect(md).toContain(o.text);
  });

  it('renders the same bytes every time', () => {
    expect(jsonReporter.render(killSwitchJournal())).toBe(jsonReporter.render(killSwitchJournal()));
  });
});
