/**
 * The runner's own metrics (prom-client): what phase a drill is in, how many faults are in place,
 * probe results, kill-switch trips and revert durations. Written as `metrics.prom` next to the
 * journal (node_exporter's textfile collector reads that format); serving them live comes later.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PhaseName } from '../drill/schema.js';
import type { FaultRecord, Journal } from '../journal/types.js';
import type { RunObserver } from '../runner/observer.js';

const PHASES: PhaseName[] = ['preflight', 'baseline', 'fault', 'recovery'];

export class RunnerMetrics implements RunObserver {
  readonly registry = new Registry();
  readonly #phase: Gauge<'drill' | 'phase'>;
  readonly #faultsActive: Gauge<'drill'>;
  readonly #samples: Counter<'drill' | 'probe' | 'result'>;
  readonly #latency: Histogram<'drill' | 'probe'>;
  readonly #trips: Counter<'drill' | 'kind'>;
  readonly #revert: Histogram<'drill'>;
  readonly #outcome: Gauge<'drill' | 'verdict'>;
  readonly #active = new Set<string>();
  readonly #drill: string;

  constructor(drill: string) {
    this.#drill = drill;
    const registers = [this.registry];
    this.#phase = new Gauge({ name: 'firedrill_phase', help: '1 for the phase the drill is in', labelNames: ['drill', 'phase'], registers });
    this.#faultsActive = new Gauge({ name: 'firedrill_faults_active', help: 'faults in place right now', labelNames: ['drill'], registers });
    this.#samples = new Counter({ name: 'firedrill_probe_samples_total', help: 'probe checks by result', labelNames: ['drill', 'probe', 'result'], registers });
    this.#latency = new Histogram({
      name: 'firedrill_probe_latency_seconds',
      help: 'probe check latency',
      labelNames: ['drill', 'probe'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#trips = new Counter({ name: 'firedrill_kill_switch_trips_total', help: 'kill-switch trips by kind', labelNames: ['drill', 'kind'], registers });
    this.#revert = new Histogram({ name: 'firedrill_revert_duration_seconds', help: 'time each undo took', labelNames: ['drill'], buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], registers });
    this.#outcome = new Gauge({ name: 'firedrill_run_verdict', help: '1 for the verdict of the finished run', labelNames: ['drill', 'verdict'], registers });
    this.#faultsActive.set({ drill }, 0);
  }

  onPhaseStart(phase: PhaseName): void {
    for (const p of PHASES) this.#phase.set({ drill: this.#drill, phase: p }, p === phase ? 1 : 0);
  }

  onSample(sample: { probe: string; ok: boolean; latencyMs: number }): void {
    this.#samples.inc({ drill: this.#drill, probe: sample.probe, result: sample.ok ? 'ok' : 'failed' });
    this.#latency.observe({ drill: this.#drill, probe: sample.probe }, sample.latencyMs / 1000);
  }

  onFault(fault: FaultRecord): void {
    if (fault.status === 'injected') this.#active.add(fault.id);
    else this.#active.delete(fault.id);
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
}
