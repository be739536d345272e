import { describe, expect, it } from 'vitest';
import type { Journal } from '../../journal/types.js';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { buildAar } from './build.js';

describe('buildAar: verdict', () => {
  it('says how many expectations were missed and the exit code', () => {
    const { verdict } = buildAar(failedJournal());
    expect(verdict).toMatchObject({ label: 'FAILED', exitCode: 1, reason: 'hypothesis violated: 2 of 4 expectations missed' });
  });

  it('names the kill-switch condition when the drill was aborted', () => {
    const { verdict } = buildAar(killSwitchJournal());
    expect(verdict.label).toBe('ABORTED');
    expect(verdict.reason).toContain('api-health: 3 consecutive failures');
  });

  it('counts near misses in a passed run', () => {
    expect(buildAar(passedJournal()).verdict.reason).toBe('hypothesis held: all 4 expectations were met, 1 near miss');
  });
});

describe('buildAar: expected vs actual', () => {
  it('lists missed expectations before the ones that held', () => {
    const statuses = buildAar(failedJournal()).facts.expectations.map((r) => r.status);
    expect(statuses).toEqual(['missed', 'missed', 'held', 'held']);
  });

  it('keeps the phase order inside each group', () => {
    const rows = buildAar(failedJournal()).facts.expectations;
    expect(rows.map((r) => r.key)).toEqual([
      'fault/api-health/latencyP95',
      'recovery/api-health/recoversWithin',
      'baseline/api-health/successRate',
      'fault/api-health/successRate',
    ]);
  });

  it('flags the p95 that held with 6 % left as a near miss, and not the perfect baseline', () => {
    const rows = buildAar(passedJournal()).facts.expectations;
    const p95 = rows.find((r) => r.key === 'fault/api-health/latencyP95');
    const baseline = rows.find((r) => r.key === 'baseline/api-health/successRate');
    expect(p95).toMatchObject({ status: 'near-miss', nearMiss: true, limit: 800 });
    expect(p95?.budgetText).toMatch(/^5\.\d% of the budget left$/);
    expect(baseline).toMatchObject({ status: 'held', nearMiss: false, budgetLeft: 1 });
    expect(rows[0]?.status).toBe('near-miss');
  });

  it('lets the reader move the near-miss line', () => {
    const strict = buildAar(passedJournal(), { nearMissShare: 0.01 }).facts.expectations;
    expect(strict.filter((r) => r.nearMiss)).toHaveLength(0);
    const loose = buildAar(passedJournal(), { nearMissShare: 0.9 }).facts.expectations;
    expect(loose.filter((r) => r.nearMiss).map((r) => r.key)).toEqual([
      'fault/api-health/successRate',
      'fault/api-health/latencyP95',
      'recovery/api-health/recoversWithin',
    ]);
  });

  it('treats a recovery that never came as a miss with evidence, not as missing data', () => {
    const row = buildAar(revertFailedJournal()).facts.expectations[0];
    expect(row).toMatchObject({ key: 'recovery/api-health/recoversWithin', status: 'missed', actual: null });
    expect(row?.evidence.failures).toBeGreaterThan(0);
  });
});

describe('buildAar: observations', () => {
  it('says how long after injection the first failing sample came', () => {
    const first = buildAar(failedJournal()).why.observations.find((o) => o.kind === 'first-failure');
    expect(first?.text).toMatch(/^The first failing sample of api-health came 7\.33s after injection, at \+20\.5s/);
  });

  it('compares recovery with the time allowed', () => {
    const slow = buildAar(failedJournal()).why.observations.find((o) => o.kind === 'recovery-slow');
    expect(slow?.text).toBe('Recovery of api-health took 25.1s, 2.5x the allowed 10s.');
  });

  it('says by how much a latency limit was exceeded', () => {
    const over = buildAar(failedJournal()).why.observations.find((o) => o.kind === 'threshold-missed');
    expect(over?.text).toContain('p95 latency of api-health in the fault phase was 1.18s, over its limit (< 800ms) by 47.1%');
  });

  it('shows the kill-switch condition with the samples that fired it', () => {
    const trip = buildAar(killSwitchJournal()).why.observations.find((o) => o.kind === 'kill-switch');
    expect(trip?.text).toContain('"api-health: 3 consecutive failures"');
    expect(trip?.text).toContain('3.05s after injection');
    expect(trip?.samples?.map((s) => s.text)).toEqual(Array(3).fill('failed in 1s: timeout after 1s'));
  });

  it('reports a gap in the samples', () => {
    const gap = buildAar(failedJournal()).why.observations.find((o) => o.kind === 'samples-missing');
    expect(gap?.text).toMatch(/^No sample of api-health between \+27\.5s and \+31\.7s/);
  });

  it('puts a failed revert first, with the manual fix from the drill', () => {
    const model = buildAar(revertFailedJournal());
    expect(model.why.observations[0]?.kind).toBe('revert-failed');
    expect(model.alerts).toHaveLength(1);
    expect(model.alerts[0]?.fix?.commands).toEqual(['nft delete table inet firedrill_block']);
  });

  it('flags a fault nobody could see', () => {
    const j = passedJournal();
    j.samples = j.samples.map((s) => ({ ...s, ok: true }));
    expect(buildAar(j).why.observations.map((o) => o.kind)).toContain('no-effect');
  });
});

describe('buildAar: timeline', () => {
  it('is in time order, opens with the run start and closes with the run end', () => {
    for (const journal of [passedJournal(), failedJournal(), killSwitchJournal(), revertFailedJournal()]) {
      const entries = buildAar(journal).facts.timeline;
      const ts = entries.map((e) => e.t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(entries[0]?.kind).toBe('run-start');
      expect(entries.at(-1)?.kind).toBe('run-end');
    }
  });

  it('shows each fault in and out with how long it stayed and how long the revert took', () => {
    const entries = buildAar(passedJournal()).facts.timeline;
    expect(entries.find((e) => e.kind === 'inject')?.text).toBe('injected: SIGSTOP backend pid 4242 (planned for 20s)');
    expect(entries.find((e) => e.kind === 'revert')?.text).toBe('reverted: SIGSTOP backend pid 4242 after 20s in place; revert took 2ms, 1 attempt — SIGCONT backend pid 4242');
  });

  it('orders the kill switch before the revert it caused, and derives recovery when no event recorded it', () => {
    const kinds = buildAar(killSwitchJournal()).facts.timeline.map((e) => e.kind);
    expect(kinds.indexOf('kill-switch')).toBeLessThan(kinds.indexOf('revert'));
    const recovered = buildAar(killSwitchJournal()).facts.timeline.find((e) => e.kind === 'recovered');
    expect(recovered).toMatchObject({ derived: true, t: 16060 + 551 });
  });

  it('marks a revert that failed', () => {
    const failed = buildAar(revertFailedJournal()).facts.timeline.find((e) => e.kind === 'revert-failed');
    expect(failed?.text).toMatch(/^REVERT FAILED: command: nft add table/);
  });
});

describe('buildAar: blast radius', () => {
  it('lists exactly what was touched and what was left alone', () => {
    const b = buildAar(passedJournal()).facts.blastRadius;
    expect(b.contained).toBe(true);
    expect(b.touched).toEqual([expect.objectContaining({ faultId: 'pause-backend', pid: 4242 })]);
    const instances = b.targets[0]?.instances ?? [];
    expect(instances.map((i) => [i.pid, i.selected, i.touchedBy])).toEqual([
      [4242, true, ['pause-backend']],
      [4243, false, []],
    ]);
    expect(b.summary).toContain('No fault record names anything outside the blast radius');
  });

  it('catches a fault record that acted on an instance that was not selected', () => {
    const j = passedJournal();
    const fault = j.faults[0] as Journal['faults'][number];
    fault.instance = { pid: 4243, command: 'node examples/shop/backend.js --port 18082' };
    const model = buildAar(j);
    expect(model.facts.blastRadius.contained).toBe(false);
    expect(model.facts.blastRadius.outside[0]?.why).toContain('pid 4243 was not among the selected instances');
    expect(model.checklist.find((c) => c.id === 'contained')?.answer).toBe('no');
  });
});

describe('buildAar: checklist, 5 Whys and prompts', () => {
  it('answers the safe-to-fail questions from the data', () => {
    const answers = Object.fromEntries(buildAar(revertFailedJournal()).checklist.map((c) => [c.id, c.answer]));
    expect(answers).toEqual({ cost: 'yes', contained: 'yes', feedback: 'yes', reverted: 'no', iteration: 'unknown', lesson: 'team' });
    const passed = buildAar(passedJournal()).checklist.find((c) => c.id === 'reverted');
    expect(passed?.detail).toContain('1 of 1 fault reverted');
  });

  it('says feedback was only partly there when samples are missing', () => {
    expect(buildAar(failedJournal()).checklist.find((c) => c.id === 'feedback')?.answer).toBe('partly');
  });

  it('starts a 5 Whys chain from each missed expectation and from the kill switch', () => {
    const chains = buildAar(killSwitchJournal()).why.fiveWhys;
    expect(chains.map((c) => c.source)).toEqual(['kill-switch', 'expectation', 'expectation']);
    expect(chains.every((c) => c.depth === 5)).toBe(true);
    expect(chains[1]?.seen.join(' ')).toContain('success rate of api-health in the fault phase was 25%');
  });

  it('lists the pre-mortem for the team to mark', () => {
    const premortem = buildAar(passedJournal()).next.premortem;
    expect(premortem).toEqual([
      { text: 'The api has no timeout towards the backend and hangs', happened: null },
      { text: 'The paused backend is not resumed', happened: null },
    ]);
  });

  it('words every prompt and observation about systems, never about people', () => {
    for (const journal of [passedJournal(), failedJournal(), killSwitchJournal(), revertFailedJournal()]) {
      const model = buildAar(journal);
      const prose = [...model.why.observations.map((o) => o.text), ...model.why.prompts, ...model.next.prompts].join('\n');
      expect(prose).not.toMatch(/\b(who (broke|caused)|fault of|blame|mistake|careless|should have)\b/i);
    }
  });
});

describe('buildAar: edges', () => {
  it('renders a run that was refused before anything was injected', () => {
    const j = passedJournal();
    j.faults = [];
    j.samples = [];
    j.expectations = [];
    j.phases = j.phases.slice(0, 1);
    j.events = j.events.filter((e) => e.type === 'run-start' || e.type === 'run-end');
    j.metrics = { timeToDetectMs: null, timeToRecoverMs: null, revertDurationMs: null };
    j.outcome = { verdict: 'refused', exitCode: 4, reason: 'environment "prod" is not in dev, staging' };
    const model = buildAar(j);
    expect(model.verdict.reason).toBe('preflight refused, nothing injected: environment "prod" is not in dev, staging');
    expect(model.facts.blastRadius.summary).toBe('No fault was injected; nothing was touched.');
    expect(model.facts.metrics.timeToDetectText).toBe('nothing injected');
  });

  it('is deterministic', () => {
    expect(buildAar(failedJournal())).toEqual(buildAar(failedJournal()));
  });
});
