/**
 * The runner's own metrics (prom-client): what drill runs and in which phase, how many faults are
 * in place and whether one stays longer than planned, probe results and values, kill-switch trips
 * and revert durations. Served live with `--metrics-port` and written as `metrics.prom` next to the
 * journal (node_exporter's textfile collector reads that format).
 */
import { printable } from '../text/printable.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FaultRecord, Journal, JournalEvent, JournalPhaseName as PhaseName, Sample } from '../journal/types.js';
import { systemClock, type Clock } from '../clock/clock.js';
import type { RunObserver } from '../journal/observer.js';
import { toolVersion } from '../tool-version.js';

const PHASES: PhaseName[] = ['preflight', 'baseline', 'fault', 'recovery'];

export interface RunnerMetricsInfo {
  runId?: string;
  environment?: string;
  /** the run's clock, to tell how long a fault has been in place at scrape time */
  clock?: Clock;
}

interface ActiveFault {
  injectedT: number;
  plannedDurationMs: number;
}

export class RunnerMetrics implements RunObserver {
  readonly registry = new Registry();
  readonly #phase: Gauge<'drill' | 'phase'>;
  readonly #faultsActive: Gauge<'drill'>;
  readonly #samples: Counter<'drill' | 'probe' | 'result'>;
  readonly #latency: Histogram<'drill' | 'probe'>;
  readonly #up: Gauge<'drill' | 'probe'>;
  readonly #value: Gauge<'drill' | 'probe'>;
  readonly #trips: Counter<'drill' | 'kind'>;
  readonly #revert: Histogram<'drill'>;
  readonly #outcome: Gauge<'drill' | 'verdict'>;
  readonly #active = new Map<string, ActiveFault>();
  readonly #drill: string;
  readonly #clock: Clock;
  /** clock reading at run time 0, known from the run-start event */
  #t0: number | undefined;

  constructor(drillName: string, info: RunnerMetricsInfo = {}) {
    // label values are shown as they are by every scrape and `curl`: hidden characters spelled out
    const drill = printable(drillName);
    this.#drill = drill;
    this.#clock = info.clock ?? systemClock;
    const registers = [this.registry];
    const labels = { drill, run_id: info.runId ?? '', environment: printable(info.environment ?? ''), version: toolVersion() };
    new Gauge({ name: 'firedrill_drill_info', help: 'the drill this runner runs (always 1)', labelNames: Object.keys(labels), registers }).set(labels, 1);
    this.#phase = new Gauge({ name: 'firedrill_phase', help: '1 for the phase the drill is in', labelNames: ['drill', 'phase'], registers });
    this.#faultsActive = new Gauge({ name: 'firedrill_faults_active', help: 'faults in place right now', labelNames: ['drill'], registers });
    const overdue = (): { count: number; worstMs: number } => this.#overdue();
    new Gauge({
      name: 'firedrill_faults_overdue',
      help: 'faults still in place after their planned duration (alert when > 0 for longer than a revert takes)',
      labelNames: ['drill'],
      registers,
      collect() {
        this.set({ drill }, overdue().count);
      },
    });
    new Gauge({
      name: 'firedrill_fault_overdue_seconds',
      help: 'how long the most overdue fault has stayed past its planned duration; 0 when none is',
      labelNames: ['drill'],
      registers,
      collect() {
        this.set({ drill }, overdue().worstMs / 1000);
      },
    });
    this.#samples = new Counter({ name: 'firedrill_probe_samples_total', help: 'probe checks by result', labelNames: ['drill', 'probe', 'result'], registers });
    this.#latency = new Histogram({
      name: 'firedrill_probe_latency_seconds',
      help: 'probe check latency',
      labelNames: ['drill', 'probe'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#up = new Gauge({ name: 'firedrill_probe_up', help: '1 when the probe\'s latest check passed, 0 when it failed', labelNames: ['drill', 'probe'], registers });
    this.#value = new Gauge({ name: 'firedrill_probe_value', help: 'the latest value a value probe (prometheus, scrape, alert) read', labelNames: ['drill', 'probe'], registers });
    this.#trips = new Counter({ name: 'firedrill_kill_switch_trips_total', help: 'kill-switch trips by kind', labelNames: ['drill', 'kind'], registers });
    this.#revert = new Histogram({ name: 'firedrill_revert_duration_seconds', help: 'time each undo took', labelNames: ['drill'], buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], registers });
    this.#outcome = new Gauge({ name: 'firedrill_run_verdict', help: '1 for the verdict of the finished run', labelNames: ['drill', 'verdict'], registers });
    this.#faultsActive.set({ drill }, 0);
  }

  onEvent(event: JournalEvent): void {
    if (event.type === 'run-start') this.#t0 = this.#clock.now() - event.t;
  }

  onPhaseStart(phase: PhaseName): void {
    for (const p of PHASES) this.#phase.set({ drill: this.#drill, phase: p }, p === phase ? 1 : 0);
  }

  onSample(sample: Sample): void {
    const labels = { drill: this.#drill, probe: sample.probe };
    this.#samples.inc({ ...labels, result: sample.ok ? 'ok' : 'failed' });
    this.#latency.observe(labels, sample.latencyMs / 1000);
    this.#up.set(labels, sample.ok ? 1 : 0);
    if (sample.value !== undefined) this.#value.set(labels, sample.value);
  }

  onFault(fault: FaultRecord): void {
    // a revert that failed leaves its fault in place: it stays active (and, in time, overdue)
    const inPlace = fault.status === 'injected' || fault.status === 'revert-failed';
    if (inPlace && fault.injectedT !== undefined) {
      this.#active.set(fault.id, { injectedT: fault.injectedT, plannedDurationMs: fault.plannedDurationMs });
    } else if (!inPlace) {
      this.#active.delete(fault.id);
    }
    if (fault.revertedT !== undefined && fault.revertStartT !== undefined) {
      this.#revert.observe({ drill: this.#drill }, Math.max(0, fault.revertedT - fault.revertStartT) / 1000);
    }
    this.#faultsActive.set({ drill: this.#drill }, this.#active.size);
  }

  onKillSwitch(record: { kind?: string }): void {
    this.#trips.inc({ drill: this.#drill, kind: record.kind ?? 'unknown' });
  }

  onFinished(journal: Journal): void {
    for (const p of PHASES) this.#phase.set({ drill: this.#drill, phase: p }, 0);
    this.#outcome.set({ drill: this.#drill, verdict: journal.outcome.verdict }, 1);
  }

  /** The Prometheus text exposition of everything above. */
  async text(): Promise<string> {
    return await this.registry.metrics();
  }

  #overdue(): { count: number; worstMs: number } {
    if (this.#t0 === undefined) return { count: 0, worstMs: 0 };
    const nowT = this.#clock.now() - this.#t0;
    let count = 0;
    let worstMs = 0;
    for (const f of this.#active.values()) {
      const past = nowT - (f.injectedT + f.plannedDurationMs);
      if (past <= 0) continue;
      count++;
      worstMs = Math.max(worstMs, past);
    }
    return { count, worstMs };
  }
}
