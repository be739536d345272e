import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../history/notes.js';
import { summarise } from '../../history/run-summary.js';
import { journals } from '../../../test/fixtures/journals/build.js';
import { rerun } from '../../../test/fixtures/journals/reruns.js';
import { renderMarkdown } from '../markdown/markdown-reporter.js';
import { buildAar } from './build.js';

// words that put a person, not a condition or a system, at the centre of a finding
const BLAME = /\b(human error|operator error|blame[ds]?|careless|negligen\w*|should have|fault of|whose fault|mistake by|incompeten\w*|culprit)\b/i;

describe('blameless wording', () => {
  it('describes conditions and systems in every generated sentence, never people', () => {
    const notes = parseNotes('## Actions\n- [ ] Add a circuit breaker — owner: team-shop\n', 'notes.md');
    for (const build of Object.values(journals)) {
      const j = build();
      const prev = rerun(j, '20250101T000000Z-000000');
      const model = buildAar(j, { notes, history: { previous: { journal: prev, href: '../x/' }, earlier: [summarise(prev, '/x')], earlierNotes: [] } });
      const md = renderMarkdown(model);
      expect(md).not.toMatch(BLAME);
    }
  });
});
