/**
 * Runs every probe on its own fixed-rate loop (never overlapping itself) until stopped, and hands
 * each sample to `onSample` the moment it completes, so the kill switch sees it at once.
 */
import { setMaxListeners } from 'node:events';
import type { PhaseName, ProbeSpec } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';
import type { ProbeResult } from '../probes/contract.js';
import { sleepUnlessAborted, type Clock } from '../clock/clock.js';

/**
 * Abort listeners one loop holds on the stop signal at a time: its check's (a probe may also
 * combine the signal with its own) and its sleep's. Every loop removes its own when done.
 */
export const LISTENERS_PER_LOOP = 3;

export type ProbeRunner = (spec: ProbeSpec, signal: AbortSignal) => Promise<ProbeResult>;

export interface SchedulerOptions {
  probes: Readonly<Record<string, ProbeSpec>>;
  run: ProbeRunner;
  clock: Clock;
  /** converts a clock reading to run time (ms since run start) */
  runTime: (clockMs: number) => number;
  phase: () => PhaseName;
  onSample: (sample: Sample) => void;
}

export class ProbeScheduler {
  readonly #options: SchedulerOptions;
  readonly #stop = new AbortController();
  readonly #loops: Promise<void>[] = [];
  /** while set, no loop starts a new check (see holdWhile) */
  #held?: Promise<unknown>;
  /** clock time of the latest completed sample per probe (for the no-data guard) */
  readonly lastSampleAt = new Map<string, number>();
  startedAt = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    this.startedAt = this.#options.clock.now();
    // every loop waits on the one stop signal: 100 probes are 100 waiters, not a leak (the count is
    // bounded per loop; the scheduler test checks it does not grow), so Node's 10-listener warning
    // would only cry wolf
    setMaxListeners(Math.max(10, Object.keys(this.#options.probes).length * LISTENERS_PER_LOOP), this.#stop.signal);
    for (const [name, spec] of Object.entries(this.#options.probes)) this.#loops.push(this.#loop(name, spec));
  }

  async #loop(name: string, spec: ProbeSpec): Promise<void> {
    const { clock, run, onSample, phase, runTime } = this.#options;
    const signal = this.#stop.signal;
    let next = clock.now();
    while (!signal.aborted) {
      if (this.#held) await this.#held;
      if (signal.aborted) break;
      const startedAt = clock.now();
      const phaseAtStart = phase();
      const result = await run(spec, signal);
      if (signal.aborted) break;
      this.lastSampleAt.set(name, clock.now());
      onSample({
        probe: name,
        t: runTime(startedAt),
        phase: phaseAtStart,
        ok: result.ok,
        latencyMs: Math.round(result.latencyMs * 10) / 10,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.error ? { error: result.error } : {}),
        ...(result.detail ? { detail: result.detail } : {}),
        ...(result.value !== undefined ? { value: result.value } : {}),
        ...(result.outcome ? { outcome: result.outcome } : {}),
      });
      next += spec.interval;
      // a check slower than the interval: start the next one now, do not queue a burst
      if (next < clock.now()) next = clock.now();
      await sleepUnlessAborted(clock, next - clock.now(), signal);
    }
  }

  /**
   * Starts no new check until `work` settles (checks in flight go on). A kill-switch unwind holds
   * the probes: starting a command probe forks the runner (tens of ms of blocked event loop on a
   * loaded host), which would stand between the trip and the last fault reverted.
   */
  holdWhile(work: Promise<unknown>): void {
    const held: Promise<unknown> = work.then(
      () => undefined,
      () => undefined,
    );
    this.#held = held;
    void held.then(() => {
      if (this.#held === held) this.#held = undefined;
    });
  }

  /** Stops all loops and waits for in-flight checks to be abandoned. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#loops);
  }
}
