import { describe, expect, it } from 'vitest';
import type { Journal, JournalEvent } from '../../journal/types.js';
import { passedJournal } from '../../../test/fixtures/journals/build.js';
import { timeline } from './timeline.js';

/** The passed fixture with the runner's own wording for its fault events (fault-window.ts). */
function withRunnerEvents(extra: JournalEvent[] = []): Journal {
  const j = passedJournal();
  const f = j.faults[0]!;
  const events = j.events.filter((e) => e.type !== 'inject' && e.type !== 'revert');
  events.push(
    { t: f.plannedStartT, type: 'inject', phase: 'fault', message: `injecting ${f.label}`, data: { fault: f.id } },
    { t: f.injectedT!, type: 'inject', phase: 'fault', message: `injected ${f.label}`, data: { fault: f.id } },
    { t: f.revertedT!, type: 'revert', phase: 'fault', message: `reverted ${f.label} after 20s (undo took 3ms)`, data: { fault: f.id } },
    ...extra,
  );
  return { ...j, events: events.sort((a, b) => a.t - b.t) };
}

describe('timeline', () => {
  it('never repeats itself: the runner\'s "injected X" and "reverted X after … (undo took …)" add nothing to the record\'s line', () => {
    const lines = timeline(withRunnerEvents()).map((e) => e.text);
    const label = passedJournal().faults[0]!.label;
    for (const line of lines) expect(line.split(label).length - 1, line).toBeLessThanOrEqual(1);
    expect(lines.some((l) => l.includes(' — '))).toBe(false);
    expect(lines.filter((l) => l.startsWith('injected: ')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('reverted: ')).length).toBe(1);
  });

  it('keeps what an event adds to the record (who reverted, a new pid)', () => {
    const j = withRunnerEvents();
    const f = j.faults[0]!;
    const revert = j.events.find((e) => e.type === 'revert')!;
    revert.message = `reverted ${f.label} (by the dead-man switch)`;
    const line = timeline(j).find((e) => e.kind === 'revert')!.text;
    expect(line).toMatch(/ — by the dead-man switch$/);
  });

  it("keeps a fault event that no record tells, such as a host's lease released after the revert", () => {
    const f = passedJournal().faults[0]!;
    const lease: JournalEvent = { t: f.revertedT! + 40, type: 'revert', message: "host web-1: lease released after the runner's revert (38 ms)", data: { host: 'web-1', ms: 38 } };
    const lines = timeline(withRunnerEvents([lease])).map((e) => e.text);
    expect(lines).toContain(lease.message);
  });
});
