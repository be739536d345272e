/**
 * What the facilitator's terminal shows, as lines of text: the current step and the next one, the
 * day's elapsed and remaining time, each expectation's live state, the kill switch, the last notes
 * and the input line. Pure; fits any width (lines are cut, never wrapped) and uses colour only
 * when asked (NO_COLOR). Every text from the plan, the drills, the probes and the notes goes through
 * printableLine(): a note or an error message cannot drive the terminal, reorder the line (bidi
 * overrides) or add lines the redraw does not count.
 */
import { formatDurationMs } from '../drill/duration.js';
import { printableLine as shown } from '../text/printable.js';
import type { DayViewState } from './day-view.js';
import type { LiveExpectation } from './live-expectations.js';
import type { Note } from './note-bus.js';

export interface ScreenInput {
  state: DayViewState;
  nowMs: number;
  step?: { phase?: string; phaseLeftMs?: number; expectations: LiveExpectation[] };
  notes: readonly Note[];
  input: string;
  width: number;
  color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;

/** Visible length of a line (escape codes do not count). */
export function visibleLength(line: string): number {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Cuts a line to `width` visible characters, keeping escape codes balanced. */
export function fit(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = '';
  let seen = 0;
  // eslint-disable-next-line no-control-regex
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const room = width - 1 - seen;
    if (room <= 0) break;
    out += part.slice(0, room);
    seen += Math.min(part.length, room);
  }
  return `${out}…${out.includes('\x1b[') ? '\x1b[0m' : ''}`;
}

export function renderScreen(input: ScreenInput): string[] {
  const paint = (code: keyof typeof CODES, s: string) => (input.color ? `\x1b[${CODES[code]}m${s}\x1b[0m` : s);
  const { state } = input;
  const { record } = state;
  const elapsed = state.usedBeforeMs + (input.nowMs - state.sessionStartMs);
  const remaining = Math.max(0, record.maxDurationMs - elapsed);
  const narrow = input.width < 60;
  const lines: string[] = [];
  const tripped = state.killSwitch.startsWith('TRIPPED') || state.killSwitch.startsWith('would have');
  lines.push(
    `${paint('bold', `${record.rehearsal ? 'REHEARSAL ' : ''}GAME DAY ${shown(record.plan.title)}`)}`,
    `elapsed ${formatDurationMs(elapsed)}  remaining ${formatDurationMs(remaining)}${narrow ? '' : ` of ${formatDurationMs(record.maxDurationMs)}`}  kill switch: ${tripped ? paint('red', shown(state.killSwitch)) : paint('green', shown(state.killSwitch))}`,
  );
  const steps = record.steps;
  const cur = state.current !== undefined ? steps[state.current] : undefined;
  if (cur) {
    const phase = input.step?.phase ? `  ${paint('bold', input.step.phase.toUpperCase())}${input.step.phaseLeftMs !== undefined ? ` ${formatDurationMs(input.step.phaseLeftMs)} left` : ''}` : '';
    lines.push(`${paint('cyan', `STEP ${cur.index + 1}/${steps.length}`)} ${cur.kind} ${shown(cur.name)}${phase}`);
    if (cur.kind === 'manual') lines.push(`  ${shown(cur.summary)}`);
  } else {
    lines.push(paint('dim', 'no step running'));
  }
  const next = steps.find((s) => s.status === 'pending' && s.index > (state.current ?? -1));
  lines.push(`${paint('dim', 'next:')} ${next ? `${next.index + 1}/${steps.length} ${next.kind} ${shown(next.name)}` : 'nothing (last step)'}`);
  const exps = input.step?.expectations ?? [];
  if (exps.length) {
    lines.push(paint('bold', 'expectations'));
    const mark: Record<LiveExpectation['state'], string> = {
      holding: paint('green', 'holding '),
      'at risk': paint('yellow', 'AT RISK '),
      missed: paint('red', 'MISSED  '),
      pending: paint('dim', 'pending '),
    };
    for (const e of exps) {
      lines.push(narrow ? `  ${mark[e.state]} ${shown(e.probe)} ${shown(e.description)}` : `  ${mark[e.state]} ${e.phase.padEnd(8)} ${shown(e.probe)} ${shown(e.description)}  ${paint('dim', shown(e.actualText))}`);
    }
  }
  const last = input.notes.slice(-3);
  if (last.length) {
    lines.push(paint('bold', 'notes'));
    for (const n of last) lines.push(`  ${paint('dim', n.at.slice(11, 19))} ${shown(n.author)}${narrow ? '' : ` (${n.source})`}: ${shown(n.text)}`);
  }
  if (state.prompt) lines.push(paint('yellow', shown(state.prompt)));
  lines.push(`note> ${shown(input.input)}${paint('dim', input.input ? '' : narrow ? ' (/abort stops)' : '  type a note + Enter; /done /go /continue /stop /skip /abort')}`);
  return lines.map((l) => fit(l, Math.max(20, input.width)));
}
