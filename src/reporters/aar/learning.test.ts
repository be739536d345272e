import { describe, expect, it } from 'vitest';
import type { Journal } from '../../journal/types.js';
import { parseNotes } from '../../history/notes.js';
import { summarise } from '../../history/run-summary.js';
import { failedJournal, passedJournal } from '../../../test/fixtures/journals/build.js';
import { rerun, slower } from '../../../test/fixtures/journals/reruns.js';
import { buildAar } from './build.js';
import type { HistoryContext } from './context.js';

function history(earlier: Journal[], notes: HistoryContext['earlierNotes'] = []): HistoryContext {
  const previous = earlier[earlier.length - 1];
  return {
    ...(previous ? { previous: { journal: previous, href: `../${previous.runId}/` } } : {}),
    earlier: earlier.map((j) => summarise(j, `/r/${j.runId}`)),
    earlierNotes: notes,
  };
}

describe('learning across runs', () => {
  it('links the previous run and says nothing changed when nothing did', () => {
    const prev = rerun(passedJournal(), '20250513T093000Z-aaaaaa');
    const { learning } = buildAar(passedJournal(), { history: history([prev]) });
    expect(learning.previous).toMatchObject({ runId: '20250513T093000Z-aaaaaa', verdict: 'passed', label: 'PASSED', href: '../20250513T093000Z-aaaaaa/' });
    expect(learning.changes.map((c) => [c.what, c.changed])).toEqual([['drill', false], ['targets', false]]);
    expect(learning.repetition).toBeNull();
    expect(learning.results.map((r) => r.text)).toEqual(['verdict: passed, as before', '4 expectations: no change']);
  });

  it('flags a failure repeated with nothing changed, counting the runs in a row', () => {
    const a = rerun(failedJournal(), '20250512T094500Z-aaaaaa');
    const b = rerun(failedJournal(), '20250513T094500Z-bbbbbb');
    const model = buildAar(failedJournal(), { history: history([a, b]) });
    expect(model.learning.repetition).toMatch(/^This run failed like each of the previous 2 runs, with the same 2 expectations missed \(fault\/api-health\/latencyP95, recovery\/api-health\/recoversWithin\)/);
    expect(model.why.observations.some((o) => o.kind === 'repetition' && o.text.startsWith('Repetition, not iteration:'))).toBe(true);
    expect(model.checklist.find((c) => c.id === 'iteration')?.answer).toBe('no');
  });

  it('does not call it repetition when the drill file changed, and says what changed in it', () => {
    const prev = rerun(failedJournal(), '20250513T094500Z-bbbbbb');
    prev.drill.sha256 = 'f'.repeat(64);
    prev.drill.spec = { ...prev.drill.spec, phases: { ...prev.drill.spec.phases, recovery: 30_000 } };
    const model = buildAar(failedJournal(), { history: history([prev]) });
    expect(model.learning.repetition).toBeNull();
    expect(model.learning.changes[0]).toEqual({ what: 'drill', changed: true, text: 'The drill file changed (sha256 ffffffffffff → c55873dab7c3): phases differ.' });
    expect(model.checklist.find((c) => c.id === 'iteration')?.answer).toBe('yes');
  });

  it('notices targets picked differently, not new pids', () => {
    const prev = rerun(passedJournal(), '20250513T093000Z-aaaaaa');
    const target = prev.targets[0];
    if (target) target.selection = 'count 1 of 3, random (seed 42)';
    const { learning } = buildAar(passedJournal(), { history: history([prev]) });
    expect(learning.changes.find((c) => c.what === 'targets')).toEqual({
      what: 'targets',
      changed: true,
      text: 'Target backend: picked "count 1 of 3, random (seed 42)" → "count 1 of 2, random (seed 42)".',
    });
  });

  it('states regressions against the previous run with their numbers', () => {
    const now = rerun(passedJournal(), '20250515T093000Z-dddddd', slower);
    const { learning } = buildAar(now, { history: history([passedJournal()]) });
    expect(learning.results.filter((r) => r.regression).map((r) => r.key)).toEqual(['verdict', 'fault/api-health/latencyP95']);
    expect(learning.results.find((r) => r.key === 'fault/api-health/latencyP95')?.text).toContain('755ms → ');
  });
});

describe('the team\'s notes in the review', () => {
  const notes = parseNotes(
    [
      '## 5 Whys',
      '### fault: api-health latencyP95 < 800ms was missed',
      '1. The api retried the dead backend three times.',
      'Root condition: no circuit breaker.',
      '### The cache was cold',
      '1. It was flushed by a deploy.',
      '## Actions',
      '- [ ] Add a circuit breaker — owner: team-shop, due: 2025-06-01',
      '- [x] Lower retries to 1',
      '## Pre-mortem',
      '- The api keeps dead keep-alive connections after the backend restarts — happened: yes, for 25 s',
    ].join('\n'),
    'findings.md',
  );

  it('fills the matching 5 Whys chain with the team\'s answers and adds the chains the tool did not offer', () => {
    const chains = buildAar(failedJournal(), { notes }).why.fiveWhys;
    const p95 = chains.find((c) => c.problem.startsWith('fault: api-health latencyP95'));
    expect(p95).toMatchObject({ answers: ['The api retried the dead backend three times.'], root: 'no circuit breaker.' });
    expect(chains[chains.length - 1]).toMatchObject({ problem: 'The cache was cold', source: 'team', answers: ['It was flushed by a deploy.'] });
  });

  it('marks which pre-mortem items happened', () => {
    expect(buildAar(failedJournal(), { notes }).next.premortem).toEqual([
      { text: 'The api keeps dead keep-alive connections after the backend restarts', happened: 'yes', note: 'for 25 s' },
    ]);
  });

  it('carries open action items of earlier runs until a later run\'s notes mark them done', () => {
    const earlier = parseNotes('## Actions\n- [ ] Add a circuit breaker — owner: team-shop\n- [ ] Alert on stale pools — owner: sre\n- [x] Old and done\n', 'notes.md');
    const later = parseNotes('## Actions\n- [x] Alert on stale pools\n', 'notes.md');
    const ctx = history([rerun(failedJournal(), '20250512T094500Z-aaaaaa'), rerun(failedJournal(), '20250513T094500Z-bbbbbb')], [
      { runId: '20250512T094500Z-aaaaaa', notes: earlier },
      { runId: '20250513T094500Z-bbbbbb', notes: later },
    ]);
    const withoutOwnNotes = buildAar(failedJournal(), { history: ctx }).next.actions;
    expect(withoutOwnNotes).toEqual([{ text: 'Add a circuit breaker', owner: 'team-shop', done: false, carriedFrom: '20250512T094500Z-aaaaaa' }]);
    const own = buildAar(failedJournal(), { history: ctx, notes }).next.actions;
    expect(own.map((a) => [a.text, a.done, a.carriedFrom ?? null])).toEqual([
      ['Add a circuit breaker', false, null],
      ['Lower retries to 1', true, null],
    ]);
  });

  it('answers "are we capturing what we learn" from the notes', () => {
    expect(buildAar(failedJournal(), { notes }).checklist.find((c) => c.id === 'lesson')).toMatchObject({ answer: 'yes' });
  });
});
