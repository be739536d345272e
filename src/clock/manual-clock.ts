/** A clock that moves only when told to: timing logic runs in tests without sleeping. */
import { sleepOn, type Clock } from './clock.js';

interface Timer {
  at: number;
  fn: () => void;
  live: boolean;
}

/** Lets promise callbacks and already-due I/O callbacks run (one turn of the real event loop). */
function realTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private t = 0;
  private timers: Timer[] = [];
  /** wall-clock time at `now() === 0` */
  readonly #epochMs: number;

  constructor(epoch: Date = new Date(0)) {
    this.#epochMs = epoch.getTime();
  }

  now(): number {
    return this.t;
  }

  date(): Date {
    return new Date(this.#epochMs + this.t);
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn((fn, delay) => this.setTimer(fn, delay), ms, signal);
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }

  /** Moves time forward by `ms`, firing due timers in time order (a timer set while firing runs too if due). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.t = Math.max(this.t, due.at);
      due.live = false;
      due.fn();
    }
    this.t = end;
    this.timers = this.timers.filter((t) => t.live);
  }

  /**
   * Drives async code to completion: lets the event loop settle (`settleTurns` real turns in a
   * row with nothing new to do), then jumps to the next timer, until `work` settles. Bounded by
   * `maxSteps` timer jumps, so a run that never ends fails the test instead of hanging it.
   */
  async run<T>(work: Promise<T>, options: { maxSteps?: number; settleTurns?: number } = {}): Promise<T> {
    const { maxSteps = 100_000, settleTurns = 3 } = options;
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    for (let step = 0; step < maxSteps; step++) {
      for (let turn = 0; turn < settleTurns; turn++) await realTurn();
      if (settled) return watched;
      const next = this.timers.filter((t) => t.live).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) {
        // nothing scheduled on this clock: the work waits on something real; give it a moment
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      this.advance(Math.max(0, next.at - this.t));
    }
    throw new Error(`ManualClock.run: the work did not finish within ${maxSteps} timer steps (clock at ${this.t} ms)`);
  }
}
