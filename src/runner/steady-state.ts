/**
 * Preflight's steady-state check: before anything is injected, every probe must have answered,
 * and as well as the baseline asks (its successRate expectation for that probe, or every check when
 * there is none). Pure.
 */
import type { Drill } from '../drill/schema.js';
import type { Sample } from '../journal/types.js';

export interface SteadyState {
  holds: boolean;
  /** one line per failing probe (kept whole in the journal's preflight event) */
  problems: string[];
  /** what a person reads: a few probes in full, many grouped by their error */
  summary: string;
}

interface Failure {
  probe: string;
  /** the whole line for this probe */
  text: string;
  /** what probes are grouped by when there are many */
  cause: string;
}

/** Up to this many failing probes are listed one by one; more are grouped by cause. */
const LISTED_ONE_BY_ONE = 3;
const GROUPS_SHOWN = 3;
const NAMES_PER_GROUP = 4;
const CAUSE_CHARS = 160;

export function checkSteadyState(drill: Drill, samples: readonly Sample[]): SteadyState {
  const failures: Failure[] = [];
  const names = Object.keys(drill.probes);
  for (const name of names) {
    const mine = samples.filter((s) => s.probe === name);
    if (mine.length === 0) {
      failures.push({ probe: name, text: `probe ${name} produced no result during preflight`, cause: 'no result during preflight' });
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
      failures.push({
        probe: name,
        text: `probe ${name}: ${ok} of ${mine.length} checks ok during preflight (needs ${Math.round(need * 1000) / 10} %), last error: ${lastError}`,
        cause: `last error: ${lastError}`,
      });
    }
  }
  return { holds: failures.length === 0, problems: failures.map((f) => f.text), summary: summarize(failures, names.length) };
}

/** A short refusal: a few probes in full; many as groups of probes that failed the same way. */
function summarize(failures: readonly Failure[], probes: number): string {
  if (failures.length <= LISTED_ONE_BY_ONE) return failures.map((f) => f.text).join('; ');
  const groups = new Map<string, string[]>();
  for (const f of failures) groups.set(f.cause, [...(groups.get(f.cause) ?? []), f.probe]);
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const shown = sorted.slice(0, GROUPS_SHOWN).map(([cause, members]) => {
    const listed = members.slice(0, NAMES_PER_GROUP).join(', ');
    const more = members.length > NAMES_PER_GROUP ? ` and ${members.length - NAMES_PER_GROUP} more` : '';
    const text = cause.length > CAUSE_CHARS ? `${cause.slice(0, CAUSE_CHARS - 1)}…` : cause;
    return `${listed}${more}: ${text}`;
  });
  const rest = sorted.slice(GROUPS_SHOWN).reduce((n, [, members]) => n + members.length, 0);
  const tail = rest > 0 ? `; ${rest} more failing in other ways` : '';
  return `${failures.length} of ${probes} probes failed their preflight checks: ${shown.join('; ')}${tail} (each probe in the journal's preflight event)`;
}
