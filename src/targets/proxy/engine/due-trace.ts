/**
 * An opt-in timing trace of the proxy's due-time queue, to find where a latency fault's error
 * comes from: how late each item ran and what woke the loop for it, how long the wake-up thread's
 * message took to reach the loop, the process's GC pauses, and how long each of its threads waited
 * for a core (/proc schedstat). `FD_PROXY_DUE_TRACE=<prefix>` turns it on; the process writes
 * `<prefix>.<pid>.json` when it exits. Off, `dueTrace` is undefined and each call site costs one
 * comparison.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/** What woke the event loop for a release. */
export type ReleaseCause = 'thread' | 'timer' | 'data';

export interface DueTrace {
  /** The thread's wake-up reached the loop: `threadLateMs` after the due time it woke for, then `toLoopMs` later. */
  wake(threadLateMs: number, toLoopMs: number): void;
  /** A release starts, woken by `cause`. */
  release(cause: ReleaseCause): void;
  /** An item of the current release ran `lateMs` after its due time. */
  item(lateMs: number): void;
}

/** Samples kept per series: bounds the trace's memory on a long run (later samples are dropped). */
const MAX_SAMPLES = 1 << 20;

class Series {
  readonly values: number[] = [];
  add(v: number): void {
    if (this.values.length < MAX_SAMPLES) this.values.push(v);
  }
  summary(): Record<string, number> {
    const xs = [...this.values].sort((a, b) => a - b);
    const at = (p: number): number => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? Number.NaN;
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return { n: xs.length, p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), p999: round(at(99.9)), max: round(xs.at(-1) ?? Number.NaN) };
  }
}

/** Per thread of this process: name, ms on a core, ms waiting for one, times scheduled. */
function schedstat(): { tid: string; name: string; runMs: number; waitMs: number; slices: number }[] {
  try {
    return readdirSync('/proc/self/task').map((tid) => {
      const [run = 0, wait = 0, slices = 0] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      return { tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), runMs: run / 1e6, waitMs: wait / 1e6, slices };
    });
  } catch {
    return []; // not Linux, or no schedstat
  }
}

/** A trace that writes its summary to `<prefix>.<pid>.json` when `write` is called. */
export function startTrace(prefix: string): DueTrace & { write(): void; stop(): void } {
  const late: Record<ReleaseCause, Series> = { thread: new Series(), timer: new Series(), data: new Series() };
  const threadLate = new Series();
  const toLoop = new Series();
  const gc = new Series();
  let cause: ReleaseCause = 'data';
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.add(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const write = (): void => {
    const gcTotalMs = gc.values.reduce((a, b) => a + b, 0);
    const all = new Series();
    for (const s of Object.values(late)) for (const v of s.values) all.add(v);
    const report = {
      itemLateMs: all.summary(),
      itemLateMsBy: Object.fromEntries(Object.entries(late).map(([k, s]) => [k, s.summary()])),
      threadLateMs: threadLate.summary(),
      threadToLoopMs: toLoop.summary(),
      gcPauseMs: { ...gc.summary(), totalMs: Math.round(gcTotalMs) },
      threads: schedstat(),
    };
    writeFileSync(`${prefix}.${process.pid}.json`, `${JSON.stringify(report, null, 1)}\n`);
  };
  return {
    write,
    stop: () => observer.disconnect(),
    wake(threadLateMs, toLoopMs) {
      threadLate.add(threadLateMs);
      toLoop.add(toLoopMs);
    },
    release(c) {
      cause = c;
    },
    item(lateMs) {
      late[cause].add(lateMs);
    },
  };
}

const prefix = process.env.FD_PROXY_DUE_TRACE;
/** The trace, when FD_PROXY_DUE_TRACE asks for one. */
export const dueTrace: DueTrace | undefined = prefix ? traceUntilExit(prefix) : undefined;

function traceUntilExit(prefix: string): DueTrace {
  const trace = startTrace(prefix);
  process.on('exit', () => trace.write());
  return trace;
}
