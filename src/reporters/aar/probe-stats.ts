/** Per-probe, per-phase summaries of the recorded samples (counts, success rate, latency percentiles). */
import type { PhaseName } from '../../drill/schema.js';
import type { Journal, Sample } from '../../journal/types.js';
import { samplesOfPhase } from '../../journal/sample-phase.js';
import { probeReader, probesOf, samplesOfProbe, type ProbeReader } from '../../journal/sample-index.js';
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
      const windows = journal.phases.filter((r) => r.name === phase);
      const only = windows.length === 1 ? windows[0] : undefined;
      if (only) {
        // one window: read field by field from the columns, no object per sample
        rows.push(summariseWindow(probe, phase, probeReader(journal.samples, probe), only.startT, only.endT));
        continue;
      }
      const samples = windows.length > 0 ? samplesOfPhase(journal.samples, journal.phases, phase, probe) : samplesOfProbe(journal.samples, probe).filter((s) => s.phase === phase);
      rows.push(summarise(probe, phase, samples));
    }
  }
  return rows;
}

function summarise(probe: string, phase: PhaseName, samples: readonly Sample[]): ProbePhaseStats {
  const latencies = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) latencies[i] = (samples[i] as Sample).latencyMs;
  let ok = 0;
  for (const s of samples) if (s.ok) ok++;
  return stats(probe, phase, latencies, ok);
}

/** The samples of a reader with `startT <= t < endT` (no end: to the last), the phase rule of journal/sample-phase.ts. */
function summariseWindow(probe: string, phase: PhaseName, reader: ProbeReader, startT: number, endT: number | undefined): ProbePhaseStats {
  const from = reader.firstAtOrAfter(startT);
  const to = Math.max(from, endT === undefined ? reader.length : reader.firstAtOrAfter(endT));
  const latencies = new Float64Array(to - from);
  let ok = 0;
  for (let i = from; i < to; i++) {
    latencies[i - from] = reader.latencyMs(i);
    if (reader.ok(i)) ok++;
  }
  return stats(probe, phase, latencies, ok);
}

function stats(probe: string, phase: PhaseName, latencies: Float64Array, ok: number): ProbePhaseStats {
  latencies.sort();
  return {
    probe,
    phase,
    samples: latencies.length,
    ok,
    successRate: latencies.length === 0 ? null : ok / latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: latencies.length === 0 ? null : (latencies[latencies.length - 1] ?? null),
  };
}
