import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import type { DayRecord } from './day-record.js';
import type { DayViewState } from './day-view.js';
import { renderScreen } from './facilitator-screen.js';
import { FacilitatorTerminal } from './facilitator-terminal.js';
import { NoteBus } from './note-bus.js';

/** A note that tries everything: a title change (OSC), a bell, a clear screen, a bidi override that reverses the line, a tab and a new line. */
const HOSTILE = 'evil\u001b]0;pwned\u0007 \u001b[2J\u202etxt.exe\u2066 tab\there\nsecond line';

function record(): DayRecord {
  return {
    dayVersion: 1,
    dayId: 'd1',
    plan: { name: 'p', title: 'Day \u202eyad', file: 'plan.yaml', sha256: 'x' },
    environment: 'staging',
    rehearsal: false,
    facilitator: { name: 'Dana' },
    participants: [],
    links: [],
    maxDurationMs: 3_600_000,
    sessions: [{ startedAt: '2026-01-01T10:00:00.000Z' }],
    steps: [{ index: 0, kind: 'manual', name: 'by-hand', summary: 'do \u001b[31mthis\u001b[0m', status: 'running' }],
    timeline: [],
    killSwitch: { tripped: false },
    outcome: { verdict: 'running', exitCode: 0, reason: '' },
  };
}

const state = (): DayViewState => ({ record: record(), current: 0, waitingFor: ['done'], prompt: 'type /done \u0007', sessionStartMs: 0, usedBeforeMs: 0, killSwitch: 'armed' });

/** Every escape sequence in `out` is one the screen itself writes: colours (SGR), cursor up, clear below. */
function foreignControls(out: string): string[] {
  // eslint-disable-next-line no-control-regex
  const ours = /\x1b\[[0-9;]*[mAJ]/g;
  // eslint-disable-next-line no-control-regex
  return [...out.replace(ours, '').matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g)].map((m) => m[0]).filter((c) => c !== '\r');
}

describe('the facilitator screen with hostile text', () => {
  it('spells out control and bidi characters of notes, names and prompts and never adds a line', () => {
    const lines = renderScreen({ state: state(), nowMs: 1000, notes: [{ at: '2026-01-01T10:00:01.000Z', author: 'Mal\u202elory', source: 'http', text: HOSTILE }], input: 'typed\u001b[A', width: 200, color: true });
    const screen = lines.join('\n');
    expect(foreignControls(screen)).toEqual([]);
    expect(screen).toContain('evil\\x1b]0;pwned\\x07 \\x1b[2J\\u202etxt.exe\\u2066 tab here second line');
    expect(screen).toContain('Mal\\u202elory (http)');
    expect(screen).toContain('GAME DAY Day \\u202eyad');
    expect(lines.filter((l) => l.includes('evil'))).toHaveLength(1);
  });
});

describe('the facilitator terminal with hostile text', () => {
  function terminal(live: boolean) {
    const written: string[] = [];
    const out = { write: (s: string) => written.push(s), columns: 120 } as unknown as NodeJS.WriteStream;
    const notes = new NoteBus();
    const view = new FacilitatorTerminal({ out, clock: new ManualClock(), notes, color: true, live, nearMissShare: 0.9 });
    return { view, notes, text: () => written.join('') };
  }

  it.each([true, false])('writes notes and event messages without their control characters (live screen: %s)', (live) => {
    const t = terminal(live);
    try {
      const note = t.notes.publish({ author: 'Mallory', source: 'http', text: HOSTILE });
      expect(note).toBeDefined();
      t.view.onDayEvent({ at: '2026-01-01T10:00:01.000Z', type: 'note', step: 0, message: note?.text ?? '', author: 'Mallory', source: 'http' }, state());
      const [observer] = t.view.stepObservers(
        { probes: {}, expect: { baseline: [], fault: [], recovery: [] }, killSwitch: [] } as unknown as Parameters<FacilitatorTerminal['stepObservers']>[0],
      );
      observer?.onEvent?.({ t: 1200, type: 'note', message: 'skipped' } as never);
      observer?.onEvent?.({ t: 1500, type: 'warning', message: `probe error: ${HOSTILE}` } as never);
      t.view.say(`nothing to mark: ${HOSTILE}`);
      const out = t.text();
      expect(foreignControls(out)).toEqual([]);
      expect(out).toContain('\\u202etxt.exe');
      expect(out).toContain('probe error: evil\\x1b]0;pwned\\x07');
    } finally {
      t.view.close();
    }
  });
});
