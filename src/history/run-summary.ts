/** What history shows of one run: verdict, time to recover, kill switch, near misses, missed checks. */
import type { Journal, Verdict } from '../journal/types.js';
import type { EarlierRunSummary } from '../reporters/aar/context.js';
import { expectationRows } from '../reporters/aar/expectations.js';

export interface RunSummary extends EarlierRunSummary {
  drill: string;
  dir: string;
  environment: string;
  verdict: Verdict;
  exitCode: number;
  durationMs: number | null;
  timeToDetectMs: number | null;
  timeToRecoverMs: number | null;
  killSwitchTripped: boolean;
  /** keys of the expectations that held with a thin margin */
  nearMisses: string[];
  expectations: number;
  /** this run failed like the run before it (same verdict and misses) with the same drill file */
  repeatsPrevious: boolean;
}

/** Summarises one journal found in `dir`. */
export function summarise(journal: Journal, dir: string, nearMissShare?: number): RunSummary {
  const rows = expectationRows(journal, nearMissShare);
  const summary: RunSummary = {
    drill: journal.drill.name,
    runId: journal.runId,
    dir,
    startedAt: journal.startedAt,
    environment: journal.environment,
    verdict: journal.outcome.verdict,
    exitCode: journal.outcome.exitCode,
    durationMs: journal.durationMs ?? null,
    drillSha256: journal.drill.sha256,
    timeToDetectMs: journal.metrics.timeToDetectMs,
    timeToRecoverMs: journal.metrics.timeToRecoverMs,
    killSwitchTripped: journal.killSwitch.tripped,
    missed: rows.filter((r) => !r.ok).map((r) => r.key),
    nearMisses: rows.filter((r) => r.status === 'near-miss').map((r) => r.key),
    expectations: rows.length,
    repeatsPrevious: false,
  };
  if (journal.killSwitch.tripped && journal.killSwitch.condition) summary.killSwitchCondition = journal.killSwitch.condition;
  return summary;
}

/** Marks, within one drill's runs sorted oldest first, each failure that repeats the run before it unchanged. */
export function markRepeats(runs: RunSummary[]): void {
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1];
    const run = runs[i];
    if (!prev || !run || run.verdict === 'passed') continue;
    run.repeatsPrevious =
      prev.verdict === run.verdict &&
      prev.drillSha256 === run.drillSha256 &&
      [...prev.missed].sort().join('\n') === [...run.missed].sort().join('\n') &&
      (prev.killSwitchCondition ?? '') === (run.killSwitchCondition ?? '');
  }
}
