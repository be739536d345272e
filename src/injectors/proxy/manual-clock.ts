/** A clock that moves only when told to: timing logic runs in tests without sleeping. */
import type { Clock } from './clock.js';

interface Timer {
  at: number;
  fn: () => void;
  live: boolean;
}

export class ManualClock implements Clock {
  private t = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
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
}
