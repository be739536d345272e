import { describe, expect, it } from 'vitest';
import type { Journal } from '../../journal/types.js';
import { passedJournal } from '../../../test/fixtures/journals/build.js';
import { whyPrompts } from './prompts.js';
import { schedulingLags } from './sample-gaps.js';

/** The passed fixture with `drop` checks of its first probe missing after its 20th (a busy runner). */
function lagged(drop: number, latencyMs?: number): { journal: Journal; probe: string; gapMs: number } {
  const journal = passedJournal();
  const probe = Object.keys(journal.drill.spec.probes)[0]!;
  const mine = journal.samples.filter((s) => s.probe === probe).sort((a, b) => a.t - b.t);
  const before = mine[20]!;
  if (latencyMs !== undefined) before.latencyMs = latencyMs;
  const gone = new Set(mine.slice(21, 21 + drop));
  journal.samples = journal.samples.filter((s) => !gone.has(s));
  return { journal, probe, gapMs: mine[21 + drop]!.t - before.t };
}

describe('scheduling lag', () => {
  it('is not reported for a run that kept its schedule', () => {
    const journal = passedJournal();
    expect(schedulingLags(journal)).toEqual([]);
    expect(whyPrompts(journal, []).join('\n')).not.toContain('scheduling lagged');
  });

  it('is reported in "what the data cannot show" with the measured gap when checks started more than twice the interval apart', () => {
    const { journal, probe, gapMs } = lagged(3);
    const [lag] = schedulingLags(journal);
    expect(lag).toMatchObject({ probe, count: 1, worstGapMs: gapMs });
    const note = whyPrompts(journal, []).find((p) => p.startsWith('Probe scheduling lagged'));
    expect(note).toContain(probe);
    expect(note).toMatch(/1× more than twice that, up to \d/);
  });

  it('is not blamed on scheduling when the check before the gap was itself slow', () => {
    const { journal, gapMs } = lagged(3, 10_000);
    expect(gapMs).toBeLessThan(10_000);
    expect(schedulingLags(journal)).toEqual([]);
  });
});
