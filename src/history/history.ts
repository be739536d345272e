/** `firedrill history`: every run found in a report directory, grouped by drill, oldest first. */
import { join } from 'node:path';
import { readJournal } from '../journal/read.js';
import { findRunDirs } from './discover.js';
import { ARTIFACTS } from './layout.js';
import { markRepeats, summarise, type RunSummary } from './run-summary.js';

export interface DrillHistory {
  drill: string;
  runs: RunSummary[];
}

export interface HistoryResult {
  drills: DrillHistory[];
  /** run folders whose journal could not be read, with the reason */
  skipped: Array<{ dir: string; reason: string }>;
}

/** Reads every run under `dir`; `drill` keeps one drill, `limit` the newest n runs of each. */
export async function loadHistory(dir: string, options: { drill?: string; limit?: number; nearMissShare?: number; signal?: AbortSignal } = {}): Promise<HistoryResult> {
  const byDrill = new Map<string, RunSummary[]>();
  const skipped: HistoryResult['skipped'] = [];
  for (const runDir of await findRunDirs(dir, options.signal)) {
    options.signal?.throwIfAborted();
    try {
      const journal = await readJournal(join(runDir, ARTIFACTS.journal));
      if (options.drill !== undefined && journal.drill.name !== options.drill) continue;
      const list = byDrill.get(journal.drill.name) ?? [];
      list.push(summarise(journal, runDir, options.nearMissShare));
      byDrill.set(journal.drill.name, list);
    } catch (e) {
      skipped.push({ dir: runDir, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const drills = [...byDrill.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([drill, runs]) => {
      runs.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.runId.localeCompare(b.runId));
      markRepeats(runs);
      return { drill, runs: options.limit === undefined ? runs : runs.slice(-options.limit) };
    });
  return { drills, skipped };
}
