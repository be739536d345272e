/** Per-probe, per-phase summaries of the recorded samples (counts, success rate, latency percentiles). */
import type { PhaseName } from '../../drill/schema.js';
import type { Journal, Sample } from '../../journal/types.js';
import { samplesOfPhase } from '../../journal/sample-phase.js';
import { probesOf, samplesOfProbe } from '../../journal/sample-index.js';
import type { ProbePhaseStats } from './model.js';

export const PHASE_ORDER: readonly PhaseName[] = ['preflight', 'baseline', 'fault', 'recovery'];

/** Nearest-rank percentile of already sorted values (p in 0..1); null for none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** The probe names of a run: those the drill declares, then any others that have samples. */
export function probeNames(journal: Journal): string[] {
  const names = Object.keys(journal.drill.spec.probes);
  for (const probe of probesOf(journal.samples)) if (!names.includes(probe)) names.push(probe);
  return names;
}

/** Summarises every probe in every phase the run went through; latency covers all samples, failed ones included. */
export function probePhaseStats(journal: Journal): ProbePhaseStats[] {
  // phases that ran, and those only a sample's label names (a journal without phase records)
  const ran = (p: PhaseName) => journal.phases.some((r) => r.name === p);
  const labelled = PHASE_ORDER.some((p) => !ran(p)) ? new Set(probesOf(journal.samples).flatMap((probe) => samplesOfProbe(journal.samples, probe).map((s) => s.phase))) : new Set<PhaseName>();
  const phases = PHASE_ORDER.filter((p) => ran(p) || labelled.has(p));
  const rows: ProbePhaseStats[] = [];
  for (const probe of probeNames(journal)) {
    for (const phase of phases) {
      // the verdict's rule (journal/sample-phase.ts), so the Probes table and the expectations count the same samples
      const samples = journal.phases.some((r) => r.name === phase) ? samplesOfPhase(journal.samples, journal.phases, phase, probe) : samplesOfProbe(journal.samples, probe).filter((s) => s.phase === phase);
      rows.push(summarise(probe, phase, samples));
    }
  }
  return rows;
}

function summarise(probe: string, phase: PhaseName, samples: readonly Sample[]): ProbePhaseStats {
  const latencies = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) latencies[i] = (samples[i] as Sample).latencyMs;
  latencies.sort();
  let ok = 0;
  for (const s of samples) if (s.ok) ok++;
  return {
    probe,
    phase,
    samples: samples.length,
    ok,
    successRate: samples.length === 0 ? null : ok / samples.length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: latencies.length === 0 ? null : (latencies[latencies.length - 1] ?? null),
  };
}
