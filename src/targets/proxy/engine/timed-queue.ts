/**
 * A FIFO of chunks (and one end marker), each released at its own time, in order, with a single
 * timer per stream. Latency, bandwidth and HTTP delay schedule through it, so a
 * stream never has more than one pending timer however many chunks it holds.
 */
import type { StreamContext } from './toxic.js';

// The clock's timers keep fractional milliseconds; anything due within this margin goes out now
// rather than costing another timer turn (well below a wake-up's own slack).
const EARLY_MARGIN_MS = 0.02;

interface Item {
  chunk: Buffer | null; // null: the end of the stream
  at: number;
}

export class TimedQueue {
  private items: (Item | undefined)[] = [];
  private first = 0;
  private heldBytes = 0;
  private lastAt = -Infinity;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  private ended = false;
  private readonly onTimer = (): void => this.fire();

  constructor(private readonly ctx: StreamContext) {}

  /** The release time of the last item queued (or released); new items never go out before it. */
  get lastReleaseAt(): number {
    return this.lastAt;
  }

  get isEmpty(): boolean {
    return this.first === this.items.length;
  }

  /** Queues `chunk` for release at `at` (or later, to keep the order). */
  push(chunk: Buffer, at: number): void {
    this.add(chunk, at);
  }

  /** Queues the end of the stream after everything queued, at `at` at the earliest. */
  end(at: number): void {
    if (this.ended) return;
    this.ended = true;
    this.add(null, at);
  }

  /** Releases everything now, in order (the fault is being removed). */
  flush(): void {
    this.stopTimer();
    while (!this.isEmpty) this.releaseFirst();
  }

  /** Drops everything (the connection is gone). */
  dispose(): void {
    this.stopTimer();
    if (this.heldBytes > 0) this.ctx.held(-this.heldBytes);
    this.heldBytes = 0;
    this.items = [];
    this.first = 0;
  }

  private add(chunk: Buffer | null, at: number): void {
    // data is arriving, so the loop is awake: let every stream's due chunks out now
    this.ctx.clock.runDue?.();
    const when = Math.max(at, this.lastAt);
    this.lastAt = when;
    if (this.isEmpty && when <= this.ctx.clock.now() + EARLY_MARGIN_MS) {
      if (chunk === null) this.ctx.out.end();
      else this.ctx.out.push(chunk);
      return;
    }
    this.items.push({ chunk, at: when });
    if (chunk !== null) {
      this.heldBytes += chunk.length;
      this.ctx.held(chunk.length);
    }
    if (this.items.length - this.first === 1) this.arm();
  }

  private arm(): void {
    const next = this.items[this.first];
    if (next === undefined) return;
    if (this.cancelTimer !== undefined && this.timerAt <= next.at) return;
    this.stopTimer();
    this.timerAt = next.at;
    this.cancelTimer = this.ctx.clock.setTimer(this.onTimer, Math.max(0, next.at - this.ctx.clock.now()));
  }

  private fire(): void {
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
    const now = this.ctx.clock.now();
    for (let next = this.items[this.first]; next !== undefined && next.at <= now + EARLY_MARGIN_MS; next = this.items[this.first]) {
      this.releaseFirst();
    }
    if (this.isEmpty) {
      this.items = [];
      this.first = 0;
    } else {
      this.arm();
    }
  }

  private releaseFirst(): void {
    const item = this.items[this.first];
    if (item === undefined) return;
    this.items[this.first] = undefined; // let the chunk be collected while the queue keeps flowing
    this.first++;
    if (this.first >= 1024 && this.first * 2 >= this.items.length) {
      this.items = this.items.slice(this.first);
      this.first = 0;
    }
    if (item.chunk === null) {
      this.ctx.out.end();
      return;
    }
    this.heldBytes -= item.chunk.length;
    this.ctx.held(-item.chunk.length);
    this.ctx.out.push(item.chunk);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
  }
}
