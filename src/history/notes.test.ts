import { describe, expect, it } from 'vitest';
import { parseNotes } from './notes.js';

const NOTES = `# Findings: shop-backend-kill

## 5 Whys

### fault: api-health latencyP95 < 800ms was missed
1. Why? The api retried the dead backend three times before serving from its cache.
2. The retry policy was written for a backend that restarts in under a second.
3. Why? …
Root condition: the backend client has no circuit breaker.

**Starting from:** the kill switch fired
1. Three probes in a row timed out.

## Actions
- [ ] Add a circuit breaker to the backend client — owner: team-shop, due: 2025-06-01
- [x] Lower the backend retries to 1 (owner: team-shop)
- Re-run the drill with a 30 s fault

| action | owner | due | done |
|---|---|---|---|
| Alert on stale pool connections | sre | 2025-07-01 | |
| Document the restart | team-shop | | yes |

## Pre-mortem
- [x] The api keeps dead keep-alive connections after the backend restarts — happened: yes, 25 s of 502s
- [ ] The paused backend is not resumed — happened: no
- [ ] Something else — happened: yes / no / partly

## Outside factors
A deploy of the api ran <at the same time>.

- nothing else
`;

describe('parseNotes', () => {
  const notes = parseNotes(NOTES, 'findings.md');

  it('reads action items from checklists, plain bullets and the report\'s action table, with owner and due date', () => {
    expect(notes.actions).toEqual([
      { text: 'Add a circuit breaker to the backend client', owner: 'team-shop', due: '2025-06-01', done: false },
      { text: 'Lower the backend retries to 1', owner: 'team-shop', done: true },
      { text: 'Re-run the drill with a 30 s fault', done: false },
      { text: 'Alert on stale pool connections', owner: 'sre', due: '2025-07-01', done: false },
      { text: 'Document the restart', owner: 'team-shop', done: true },
    ]);
  });

  it('reads 5 Whys chains, skipping unanswered placeholders', () => {
    expect(notes.whys).toEqual([
      {
        problem: 'fault: api-health latencyP95 < 800ms was missed',
        answers: [
          'The api retried the dead backend three times before serving from its cache.',
          'The retry policy was written for a backend that restarts in under a second.',
        ],
        root: 'the backend client has no circuit breaker.',
      },
      { problem: 'the kill switch fired', answers: ['Three probes in a row timed out.'] },
    ]);
  });

  it('reads pre-mortem marks, and leaves the report\'s unanswered template unmarked', () => {
    expect(notes.premortem).toEqual([
      { text: 'The api keeps dead keep-alive connections after the backend restarts', happened: 'yes', note: '25 s of 502s' },
      { text: 'The paused backend is not resumed', happened: 'no' },
      { text: 'Something else', happened: null },
    ]);
  });

  it('keeps every other section as written', () => {
    expect(notes.sections).toEqual([{ title: 'Outside factors', lines: ['A deploy of the api ran <at the same time>.', '', '- nothing else'] }]);
  });

  it('keeps text before any section as notes and never throws on odd input', () => {
    const odd = parseNotes('just a line\n## Actions\n- [ ]\n- [x] \n## 5 whys\n1. an answer before any chain\n', 'x.md');
    expect(odd.sections).toEqual([{ title: 'Notes', lines: ['just a line'] }]);
    expect(odd.actions).toEqual([]);
    expect(odd.whys).toEqual([]);
  });
});
