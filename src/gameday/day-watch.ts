/**
 * The day-wide kill switch: the plan's own probes and conditions (e.g. the team's paging alert),
 * the day's maximum duration, the emergency stop file and the operator, watched for the whole day.
 * When it trips, the day stops and the current step's drill reverts. In a rehearsal the plan's
 * conditions only record when they would have tripped.
 */
import type { KillSwitchRecord, Sample } from '../journal/types.js';
import type { Clock } from '../clock/clock.js';
import { KillSwitch, type Trip } from '../runner/kill-switch.js';
import { runProbe } from '../probes/registry.js';
import { ProbeScheduler, type ProbeRunner } from '../runner/probe-scheduler.js';
import { RehearsalWatch } from '../runner/rehearsal-watch.js';
import type { Plan } from './plan-schema.js';

export interface DayWatchOptions {
  plan: Plan;
  /** what is left of the day's maxDuration (a resumed day counts earlier sessions) */
  remainingMs: number;
  stopFiles: string[];
  clock: Clock;
  rehearse: boolean;
  probeRunner?: ProbeRunner;
  onTrip: (trip: Trip) => void;
  onWouldTrip: (record: KillSwitchRecord) => void;
  onSample?: (sample: Sample) => void;
}

export class DayWatch {
  readonly #scheduler: ProbeScheduler;
  readonly #killSwitch: KillSwitch;
  readonly #t0: number;

  constructor(options: DayWatchOptions) {
    const { plan, clock } = options;
    this.#t0 = clock.now();
    // only the probes the day's conditions read run all day; manual steps run the ones they watch
    const watched = new Set(plan.killSwitch.flatMap((k) => [k.probe, ...(k.total ? [k.total] : [])]));
    const probes = Object.fromEntries(Object.entries(plan.probes).filter(([name]) => watched.has(name)));
    const rehearsal = options.rehearse ? new RehearsalWatch({ killSwitch: plan.killSwitch, probes }) : undefined;
    this.#scheduler = new ProbeScheduler({
      probes,
      run: options.probeRunner ?? runProbe,
      clock,
      runTime: (ms) => Math.round((ms - this.#t0) * 10) / 10,
      phase: () => 'fault',
      onSample: (sample) => {
        options.onSample?.(sample);
        this.#killSwitch.observe(sample);
        const would = rehearsal?.observe(sample);
        if (would) options.onWouldTrip(would);
      },
    });
    this.#killSwitch = new KillSwitch({
      conditions: options.rehearse ? [] : plan.killSwitch,
      probes: options.rehearse ? {} : probes,
      noDataIntervals: plan.noDataIntervals,
      stopFiles: options.stopFiles,
      maxDurationMs: Math.max(0, options.remainingMs),
      clock,
      lastSampleAt: this.#scheduler.lastSampleAt,
      onTrip: options.onTrip,
    });
  }

  get tripped(): Trip | undefined {
    return this.#killSwitch.tripped;
  }

  start(): void {
    this.#killSwitch.start();
    this.#scheduler.start();
    this.#killSwitch.armProbes();
  }

  /** The operator stopped the day. */
  trip(reason: string): void {
    this.#killSwitch.trip('operator', 'operator abort', reason);
  }

  async stop(): Promise<void> {
    this.#killSwitch.stop();
    await this.#scheduler.stop();
  }
}
