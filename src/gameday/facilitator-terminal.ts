/**
 * The facilitator's terminal: the screen from facilitator-screen.ts redrawn a few times a second
 * below the scrolling timeline (day events, the drill's events, notes). Without a terminal the
 * same events are printed as plain lines, and prompts once when they appear. Text that comes from
 * outside (notes, event messages, probe errors) is written through printableLine(): the only
 * escape sequences on the terminal are the screen's own.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { Drill, PhaseName } from '../drill/schema.js';
import type { JournalEvent, PhaseRecord, Sample } from '../journal/types.js';
import type { Clock } from '../clock/clock.js';
import type { RunObserver } from '../journal/observer.js';
import type { DayEvent } from './day-record.js';
import type { DayView, DayViewState } from './day-view.js';
import { printableLine } from '../text/printable.js';
import { renderScreen } from './facilitator-screen.js';
import { liveExpectations } from './live-expectations.js';
import type { Note, NoteBus } from './note-bus.js';

interface LiveStep {
  drill: Drill;
  phases: PhaseRecord[];
  samples: Sample[];
  phaseStartedAt?: number;
}

export interface TerminalViewOptions {
  out: NodeJS.WriteStream;
  clock: Clock;
  notes: NoteBus;
  color: boolean;
  /** redraw the screen in place (a terminal); otherwise print lines */
  live: boolean;
  nearMissShare: number;
}

export class FacilitatorTerminal implements DayView {
  readonly #o: TerminalViewOptions;
  #state?: DayViewState;
  #step?: LiveStep;
  #input = '';
  #drawn = 0;
  #timer?: NodeJS.Timeout;
  #lastPrompt?: string;
  readonly #notes: Note[] = [];
  readonly #unsubscribe: () => void;

  constructor(options: TerminalViewOptions) {
    this.#o = options;
    this.#unsubscribe = options.notes.subscribe((n) => this.#notes.push(n));
    if (options.live) {
      this.#timer = setInterval(() => this.#draw(), 250);
      this.#timer.unref();
    }
  }

  /** The line being typed (raw terminal input). */
  setInput(buffer: string): void {
    this.#input = buffer;
    this.#draw();
  }

  /** A message for the facilitator (e.g. "nothing to mark done right now"). */
  say(message: string): void {
    const line = printableLine(message);
    this.#print(this.#o.live ? this.#paint(33, line) : line);
  }

  onDayEvent(event: DayEvent, state: DayViewState): void {
    this.#state = state;
    const who = event.author ? `${printableLine(event.author)}${event.source ? ` (${event.source})` : ''}: ` : '';
    const text = `[${printableLine(event.at.slice(11, 19))}] ${event.type === 'note' ? 'note ' : ''}${who}${printableLine(event.message)}`;
    this.#print(this.#o.live && (event.type === 'kill-switch' || event.type === 'step-end') ? this.#paint(1, text) : text);
    this.onState(state);
  }

  onState(state: DayViewState): void {
    this.#state = state;
    if (!this.#o.live && state.prompt && state.prompt !== this.#lastPrompt) this.#print(`>>> ${printableLine(state.prompt)}`);
    this.#lastPrompt = state.prompt;
    this.#draw();
  }

  stepObservers(drill: Drill): RunObserver[] {
    const step: LiveStep = { drill, phases: [], samples: [] };
    this.#step = step;
    return [
      {
        onPhaseStart: (phase: PhaseName, plannedMs: number, startT: number) => {
          const open = step.phases.at(-1);
          if (open && open.endT === undefined) open.endT = startT;
          step.phases.push({ name: phase, startT, plannedMs });
          step.phaseStartedAt = this.#o.clock.now();
        },
        onSample: (sample: Sample) => {
          step.samples.push(sample);
        },
        onEvent: (event: JournalEvent) => {
          if (event.type === 'phase-end') {
            const open = step.phases.findLast((p) => p.name === event.phase);
            if (open) open.endT = event.t;
            return;
          }
          if (event.type === 'note' || event.type === 'phase-start') return;
          this.#print(`    +${formatDurationMs(event.t).padStart(7)} ${printableLine(event.message)}`);
        },
        onFinished: () => {
          if (this.#step === step) this.#step = undefined;
        },
      },
    ];
  }

  close(): void {
    clearInterval(this.#timer);
    this.#clear();
    this.#unsubscribe();
  }

  #paint(code: number, s: string): string {
    return this.#o.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  #print(line: string): void {
    this.#clear();
    this.#o.out.write(`${line}\n`);
    this.#draw();
  }

  #clear(): void {
    if (this.#drawn === 0) return;
    this.#o.out.write(`\r${this.#drawn > 1 ? `\x1b[${this.#drawn - 1}A` : ''}\x1b[0J`);
    this.#drawn = 0;
  }

  #draw(): void {
    if (!this.#o.live || !this.#state) return;
    this.#clear();
    const step = this.#step;
    const phase = step?.phases.at(-1);
    const lines = renderScreen({
      state: this.#state,
      nowMs: this.#o.clock.now(),
      ...(step
        ? {
            step: {
              ...(phase ? { phase: phase.name, phaseLeftMs: Math.max(0, phase.plannedMs - (this.#o.clock.now() - (step.phaseStartedAt ?? 0))) } : {}),
              expectations: liveExpectations(step.drill, step.phases, step.samples, this.#o.nearMissShare),
            },
          }
        : {}),
      notes: this.#notes,
      input: this.#input,
      // one column spare: a line that fills the last column would wrap on some terminals
      width: (this.#o.out.columns || 80) - 1,
      color: this.#o.color,
    });
    // no newline after the input line: the cursor stays where the facilitator types
    this.#o.out.write(lines.join('\n'));
    this.#drawn = lines.length;
  }
}
