/**
 * Preflight's steady-state check: before anything is injected, every probe must have answered,
 * and as well as the baseline asks (its successRate expectation for that probe, or every check when
 * there is none). Pure.
 */
import type { Drill } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';

export interface SteadyState {
  holds: boolean;
  problems: string[];
}

export function checkSteadyState(drill: Drill, samples: readonly Sample[]): SteadyState {
  const problems: string[] = [];
  for (const name of Object.keys(drill.probes)) {
    const mine = samples.filter((s) => s.probe === name);
    if (mine.length === 0) {
      problems.push(`probe ${name} produced no result during preflight`);
      continue;
    }
    const ok = mine.filter((s) => s.ok).length;
    const rate = ok / mine.length;
    const required = Math.max(
      0,
      ...drill.expect.baseline.filter((e) => e.probe === name && e.successRate).map((e) => e.successRate?.value ?? 0),
    );
    const need = required > 0 ? required : 1;
    if (rate < need) {
      const lastError = [...mine].reverse().find((s) => !s.ok)?.error ?? 'failed';
      problems.push(`probe ${name}: ${ok} of ${mine.length} checks ok during preflight (needs ${Math.round(need * 1000) / 10} %), last error: ${lastError}`);
    }
  }
  return { holds: problems.length === 0, problems };
}
