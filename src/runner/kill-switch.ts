/**
 * The kill switch: the drill's own conditions on probe samples, plus the guards that are always on
 * (maxDuration, operator abort, stop files, no probe data). It calls `onTrip` once, synchronously,
 * the moment a condition is met, so the revert starts at once and not at the next tick.
 */
import { mark } from '../observability/revert-timeline.js';
import { probeTimeoutMs } from '../drill/probe-timeout.js';
import { existsSync } from 'node:fs';
import { formatDurationMs } from '../drill/duration.js';
import type { KillCondition, ProbeSpec } from '../drill/schema.js';
import type { KillSwitchKind, Sample } from '../journal/types.js';
import { KillConditionMonitor } from '../verdict/kill-conditions.js';
import { SourceWatch } from '../verdict/source-watch.js';
import type { Clock } from '../clock/clock.js';

export interface Trip {
  kind: KillSwitchKind;
  condition: string;
  reason: string;
  samples?: Sample[];
  /** clock time of the trip */
  at: number;
}

export interface KillSwitchOptions {
  conditions: readonly KillCondition[];
  probes: Readonly<Record<string, ProbeSpec>>;
  noDataIntervals: number;
  stopFiles: readonly string[];
  maxDurationMs: number;
  clock: Clock;
  /** clock time of the latest sample per probe, maintained by the scheduler */
  lastSampleAt: ReadonlyMap<string, number>;
  onTrip: (trip: Trip) => void;
  /** how often the stop files and the no-data guard are checked */
  watchEveryMs?: number;
}

/** How long a probe may stay silent before the no-data guard trips. */
export function noDataDeadlineMs(probe: ProbeSpec, intervals: number): number {
  const timeout =
    probeTimeoutMs(probe);
  // a slow check that ends in a timeout is data (a failure); only silence beyond that is "no data"
  return Math.max(intervals * probe.interval, timeout + probe.interval);
}

export class KillSwitch {
  readonly #options: KillSwitchOptions;
  readonly #monitor: KillConditionMonitor;
  /** the fail-safe of value probes: an unreadable metrics source past its grace period */
  readonly #sources: SourceWatch;
  #tripped?: Trip;
  #cancelWatch?: () => void;
  #cancelMax?: () => void;
  #stopped = false;
  #armedAt?: number;

  constructor(options: KillSwitchOptions) {
    this.#options = options;
    this.#monitor = new KillConditionMonitor(options.conditions);
    this.#sources = new SourceWatch(options.probes);
  }

  get tripped(): Trip | undefined {
    return this.#tripped;
  }

  /** Starts the always-on guards. `maxDuration` counts from here. */
  start(): void {
    const { maxDurationMs, clock } = this.#options;
    this.#stopped = false;
    this.#cancelMax = clock.setTimer(
      () => this.trip('max-duration', `maxDuration ${formatDurationMs(maxDurationMs)}`, `the drill ran for its whole maxDuration (${formatDurationMs(maxDurationMs)})`),
      maxDurationMs,
    );
    this.#scheduleWatch();
  }

  /** The watch re-arms itself after each check (an interval on the injected clock). */
  #scheduleWatch(): void {
    const { watchEveryMs = 100, clock } = this.#options;
    this.#cancelWatch = clock.setTimer(() => {
      if (this.#stopped) return;
      this.#check();
      if (!this.#stopped) this.#scheduleWatch();
    }, watchEveryMs);
  }

  /** Probe-data guards apply once the probes run. */
  armProbes(): void {
    this.#armedAt = this.#options.clock.now();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelMax?.();
    this.#cancelWatch?.();
  }

  /** Feeds one sample to the drill's conditions. */
  observe(sample: Sample): void {
    if (this.#tripped) return;
    const trip = this.#monitor.observe(sample);
    if (trip) {
      this.trip('probe', trip.condition, trip.reason, trip.samples);
      return;
    }
    const blind = this.#sources.observe(sample);
    if (blind) this.trip('metrics-unreachable', blind.condition, blind.reason, blind.samples);
  }

  /** Trips the switch (first call wins). */
  trip(kind: KillSwitchKind, condition: string, reason: string, samples?: Sample[]): void {
    if (this.#tripped) return;
    this.#tripped = { kind, condition, reason, at: this.#options.clock.now(), ...(samples ? { samples } : {}) };
    this.stop();
    mark('trip');
    this.#options.onTrip(this.#tripped);
    mark('trip handled (journaled, run aborted)');
  }

  #check(): void {
    if (this.#tripped) return;
    for (const file of this.#options.stopFiles) {
      if (existsSync(file)) {
        this.trip('stop-file', `stop file ${file}`, `the stop file ${file} appeared`);
        return;
      }
    }
    const armedAt = this.#armedAt;
    if (armedAt === undefined) return;
    const now = this.#options.clock.now();
    for (const [name, probe] of Object.entries(this.#options.probes)) {
      const last = Math.max(this.#options.lastSampleAt.get(name) ?? armedAt, armedAt);
      const deadline = noDataDeadlineMs(probe, this.#options.noDataIntervals);
      if (now - last > deadline) {
        this.trip(
          'no-data',
          `${name}: no data for ${this.#options.noDataIntervals} intervals`,
          `probe ${name} produced no result for ${formatDurationMs(now - last)} (limit ${formatDurationMs(deadline)}); the runner cannot see the system, so it stops`,
        );
        return;
      }
    }
  }
}
