/**
 * One due-time queue for every timer of the proxy process, released in one callback, with
 * sub-millisecond wake-ups. Node's own timers count whole milliseconds against a cached loop time,
 * which makes a 100 ms latency fault land anywhere from 99.5 to 102 ms; here a helper thread
 * sleeps on a futex until the earliest due time (nanosecond timeout) and wakes the event loop
 * through its message port, so a chunk goes out within tens of microseconds of its time.
 * The thread never touches a socket: it only says "the earliest item is due"; the event loop
 * releases every due item, oldest first, and tells the thread the next due time.
 */
import { Worker } from 'node:worker_threads';
import { dueTrace, type ReleaseCause } from './due-trace.js';
import { MinHeap } from './min-heap.js';

// the thread's loop (plain JavaScript, run with `eval`: the runner may run from TypeScript sources)
const WAKER_SOURCE = String.raw`
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const gen = new Int32Array(workerData, 0, 1);
const posted = new Int32Array(workerData, 4, 1);
const due = new Float64Array(workerData, 8, 1);
// for the opt-in trace (due-trace.ts): when this thread posted, and the due time it woke for
const postedAt = new Float64Array(workerData, 16, 2);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
for (;;) {
  const g = Atomics.load(gen, 0);
  // a wake-up the loop has not answered yet: wait for its answer (a new generation)
  if (Atomics.load(posted, 0) === 1) { Atomics.wait(gen, 0, g); continue; }
  const at = due[0];
  if (at === Infinity) { Atomics.wait(gen, 0, g); continue; }
  const left = at - nowMs();
  // woken or timed out, the due time is read again: the loop may have moved it later without
  // waking this thread
  if (left > 0) { Atomics.wait(gen, 0, g, left); continue; }
  postedAt[0] = at - left;
  postedAt[1] = at;
  Atomics.store(posted, 0, 1);
  parentPort.postMessage(0);
}
`;

interface Waker {
  worker: Worker;
  gen: Int32Array;
  posted: Int32Array;
  due: Float64Array;
}

interface Item {
  at: number;
  seq: number;
  fn: (() => void) | undefined;
}

/** Releases items due within this much of now: less than the thread's own wake-up slack. */
const EARLY_MARGIN_MS = 0.02;

export class DueQueue {
  readonly #heap = new MinHeap<Item>((a, b) => a.at - b.at || a.seq - b.seq);
  #seq = 0;
  #waker: Waker | undefined;
  #publishedAt = Infinity;
  /** the latest due time the thread may be sleeping until (it re-reads the due time on waking) */
  #threadMayWaitUntil = Infinity;
  #reffed = false;
  #fallback: NodeJS.Timeout | undefined;
  #fallbackAt = Infinity;
  #failed = false;
  #online = false;
  #releasing = false;

  /** Starts the helper thread ahead of the first timer (it takes tens of ms to start). */
  prepare(): void {
    this.#wakerOrUndefined();
  }

  /** Runs `fn` at `at` (performance.now() time); returns a function that cancels it. */
  add(fn: () => void, at: number): () => void {
    const item: Item = { at, seq: this.#seq++, fn };
    this.#heap.push(item);
    if (at < this.#publishedAt) this.#publish();
    return () => {
      item.fn = undefined;
    };
  }

  /**
   * Releases what is due now without waiting for the wake-up. The event loop is awake anyway when
   * data arrives; on a busy host the thread and then the loop each wait for a core, so a release
   * on the way often comes first. Never releases anything early.
   */
  runDue(): void {
    if (this.#releasing) return;
    const top = this.#heap.peek();
    if (top !== undefined && top.at <= performance.now() + EARLY_MARGIN_MS) this.#release(false, 'data');
  }

  /** Items waiting (cancelled ones included until they come up). */
  get size(): number {
    return this.#heap.size;
  }

  /** Releases every due item, oldest first; `answer`: the thread posted this wake-up and waits for a reply. */
  #release(answer: boolean, cause: ReleaseCause): void {
    this.#releasing = true;
    dueTrace?.release(cause);
    try {
      const now = performance.now();
      for (let top = this.#heap.peek(); top !== undefined && top.at <= now + EARLY_MARGIN_MS; top = this.#heap.peek()) {
        this.#heap.pop();
        const fn = top.fn;
        top.fn = undefined;
        if (dueTrace && fn) dueTrace.item(performance.now() - top.at);
        fn?.();
      }
    } finally {
      this.#releasing = false;
    }
    this.#publish(answer, true);
  }

  /**
   * Tells the thread the earliest due time. The thread is woken (a futex syscall and a context
   * switch) only when it must be: it posted a wake-up (`answer`), or the new time is earlier than
   * one it may be sleeping until. A later time is only written: the thread reads it when its
   * sleep ends and sleeps on, and the event loop is not disturbed.
   */
  #publish(answer = false, force = answer): void {
    while (this.#heap.peek()?.fn === undefined && this.#heap.size > 0) this.#heap.pop();
    const next = this.#heap.peek()?.at ?? Infinity;
    if (!force && next >= this.#publishedAt) return;
    this.#publishedAt = next;
    const waker = this.#wakerOrUndefined();
    // Node's timer stands in until the thread runs (it takes a while to start on a busy host), and
    // then backs it up: whichever wakes the loop first releases (a wake-up before the due time
    // releases nothing)
    this.#armFallback(next);
    if (waker === undefined || !this.#online) return;
    waker.due[0] = next === Infinity ? Infinity : Number(process.hrtime.bigint()) / 1e6 + (next - performance.now());
    if (answer || next < this.#threadMayWaitUntil) {
      Atomics.add(waker.gen, 0, 1);
      Atomics.notify(waker.gen, 0);
    }
    this.#threadMayWaitUntil = next;
    // an idle queue must not keep the process alive
    const ref = next !== Infinity;
    if (ref !== this.#reffed) {
      this.#reffed = ref;
      if (ref) waker.worker.ref();
      else waker.worker.unref();
    }
  }

  #wakerOrUndefined(): Waker | undefined {
    if (this.#waker || this.#failed) return this.#waker;
    try {
      const shared = new SharedArrayBuffer(32);
      const gen = new Int32Array(shared, 0, 1);
      const posted = new Int32Array(shared, 4, 1);
      const due = new Float64Array(shared, 8, 1);
      // [posted at, the due time it woke for] (hrtime ms), read by the opt-in trace only
      const postedAt = new Float64Array(shared, 16, 2);
      due[0] = Infinity;
      const worker = new Worker(WAKER_SOURCE, { eval: true, workerData: shared, name: 'firedrill-due-queue' });
      worker.on('message', () => {
        // cleared before the answer (a new generation) so the thread reads the new due time
        Atomics.store(posted, 0, 0);
        if (dueTrace) {
          const nowHr = Number(process.hrtime.bigint()) / 1e6;
          dueTrace.wake((postedAt[0] ?? 0) - (postedAt[1] ?? 0), nowHr - (postedAt[0] ?? 0));
        }
        this.#release(true, 'thread');
      });
      worker.once('online', () => {
        this.#online = true;
        this.#publish(true);
      });
      worker.unref();
      worker.on('error', () => {
        // without the thread the queue still works, on Node's millisecond timers
        this.#failed = true;
        this.#online = false;
        this.#waker = undefined;
        this.#publish(true);
      });
      this.#waker = { worker, gen, posted, due };
    } catch {
      this.#failed = true;
    }
    return this.#waker;
  }

  #armFallback(next: number): void {
    // an armed timer that is not later than needed stays: one firing early releases nothing
    // and arms again
    if (this.#fallback !== undefined && this.#fallbackAt <= next && this.#fallbackAt > performance.now()) return;
    if (this.#fallback) clearTimeout(this.#fallback);
    this.#fallback = undefined;
    this.#fallbackAt = next;
    if (next === Infinity) return;
    this.#fallback = setTimeout(() => {
      this.#fallback = undefined;
      this.#fallbackAt = Infinity;
      this.#release(false, 'timer');
    }, Math.max(0, Math.ceil(next - performance.now())));
  }
}
