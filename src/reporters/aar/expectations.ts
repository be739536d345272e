/** Expected vs actual: one row per evaluated expectation, failed first, with its evidence. */
import type { ExpectationResult, Journal } from '../../journal/types.js';
import { budgetLeft, budgetText, expectationLimit } from './budget.js';
import { plural, sampleView } from './format.js';
import type { ExpectationRow, ExpectationStatus } from './model.js';
import { PHASE_ORDER } from './probe-stats.js';

/** Held with less than this share of the budget left is a near miss, unless the reader says otherwise. */
export const DEFAULT_NEAR_MISS_SHARE = 0.1;

const STATUS_ORDER: Record<ExpectationStatus, number> = { missed: 0, 'no-data': 1, 'near-miss': 2, held: 3 };

/** Rows ordered missed, no data, near miss, held (phase order, then the drill's order, inside each group). */
export function expectationRows(journal: Journal, nearMissShare = DEFAULT_NEAR_MISS_SHARE): ExpectationRow[] {
  const seen = new Map<string, number>();
  const rows = journal.expectations.map((e, index) => {
    const base = `${e.phase}/${e.probe}/${e.metric}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { row: toRow(journal, e, n === 1 ? base : `${base}#${n}`, n, nearMissShare), index };
  });
  rows.sort(
    (a, b) =>
      STATUS_ORDER[a.row.status] - STATUS_ORDER[b.row.status] ||
      PHASE_ORDER.indexOf(a.row.phase) - PHASE_ORDER.indexOf(b.row.phase) ||
      a.index - b.index,
  );
  return rows.map((r) => r.row);
}

function toRow(journal: Journal, e: ExpectationResult, key: string, occurrence: number, nearMissShare: number): ExpectationRow {
  const limit = expectationLimit(journal, e.phase, e.probe, e.metric, occurrence);
  const raw = e.actual !== null && limit ? budgetLeft(e.metric, e.actual, limit) : undefined;
  // rounded so that two renders, and two runs with equal figures, compare equal
  const left = raw === undefined ? null : Math.round(raw * 10_000) / 10_000;
  // without a limit to measure against, the journal's own margin is the best we have
  const nearMiss = e.ok && (left !== null ? left < nearMissShare : e.margin !== null ? e.margin >= 0 && e.margin < nearMissShare : e.nearMiss);
  // a recovery that never came has no value but is a miss with evidence; no data means no samples at all
  const noData = !e.ok && e.actual === null && e.evidence.samples === 0;
  const status: ExpectationStatus = noData ? 'no-data' : !e.ok ? 'missed' : nearMiss ? 'near-miss' : 'held';
  const worst = e.evidence.worst ? sampleView({ ...e.evidence.worst, probe: e.probe, phase: e.phase }) : undefined;
  const parts = [`${plural(e.evidence.samples, 'sample')}, ${plural(e.evidence.failures, 'failure')}`];
  if (worst) parts.push(`worst ${worst.at}: ${worst.text}`);
  if (e.evidence.note) parts.push(e.evidence.note);
  const row: ExpectationRow = {
    key,
    phase: e.phase,
    probe: e.probe,
    metric: e.metric,
    description: e.description,
    expected: e.expected,
    actual: e.actual,
    actualText: e.actualText,
    status,
    ok: e.ok,
    nearMiss,
    margin: e.margin,
    limit: limit?.value ?? null,
    budgetLeft: left,
    budgetText: budgetText(e.metric, left),
    evidence: { samples: e.evidence.samples, failures: e.evidence.failures, note: e.evidence.note, text: parts.join('; ') },
  };
  if (worst) row.evidence.worst = worst;
  return row;
}
