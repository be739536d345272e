/**
 * Two runs side by side: expectation by expectation, what got better or worse and by how much.
 * Pure. "Worse" is measured in the direction that matters for each metric (higher latency, lower
 * success rate); a regression is a check that stopped holding, or one that got worse by more than
 * the tolerance. Differences smaller than what a probe can resolve are not changes at all.
 */
import { formatDurationMs } from '../../values/duration.js';
import type { Journal, Verdict } from '../../journal/types.js';
import { expectationRows } from './expectations.js';
import type { ExpectationRow, ExpectationStatus, ResultChange } from './model.js';
import { formatPercent } from '../../values/percent.js';

export const DEFAULT_TOLERANCE = 0.1;

/** Latency differences below this are noise on any real network. */
const LATENCY_FLOOR_MS = 5;

export interface CompareOptions {
  /** a change for the worse beyond this share is a regression (0.1 = 10 %) */
  tolerance?: number;
  nearMissShare?: number;
}

export interface RunRef {
  runId: string;
  drill: string;
  startedAt: string;
  verdict: Verdict;
}

export interface ExpectationSide {
  status: ExpectationStatus;
  ok: boolean;
  actual: number | null;
  actualText: string;
}

export interface ExpectationChange extends ResultChange {
  phase: string;
  probe: string;
  metric: string;
  description: string;
  before: ExpectationSide | null;
  after: ExpectationSide | null;
  /** how much worse, as a share (0.56 = 56 % worse; negative = better); null when it has no measure */
  worseBy: number | null;
}

export interface MetricChange extends ResultChange {
  name: 'timeToDetectMs' | 'timeToRecoverMs' | 'revertDurationMs';
  before: number | null;
  after: number | null;
}

export interface RunComparison {
  a: RunRef;
  b: RunRef;
  sameDrill: boolean;
  drillChanged: boolean;
  verdict: ResultChange & { before: Verdict; after: Verdict };
  expectations: ExpectationChange[];
  /** run metrics, for context: they never count as regressions on their own */
  metrics: MetricChange[];
  tolerance: number;
  /** the changes that count as regressions, verdict first */
  regressions: ResultChange[];
}

/** How bad each verdict is; a higher rank after than before is worse. */
const VERDICT_RANK: Record<Verdict, number> = { passed: 0, failed: 1, aborted: 2, refused: 2, invalid: 3, 'inject-failed': 3, error: 3, crashed: 3, 'revert-failed': 4 };
const STATUS_WORDS: Record<ExpectationStatus, string> = { held: 'held', 'near-miss': 'near miss', missed: 'MISSED', 'no-data': 'NO DATA' };

/** Compares run `b` against the earlier run `a`. */
export function compareJournals(a: Journal, b: Journal, options: CompareOptions = {}): RunComparison {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const before = new Map(expectationRows(a, options.nearMissShare).map((r) => [r.key, r]));
  const afterRows = expectationRows(b, options.nearMissShare);
  const keys = [...afterRows.map((r) => r.key), ...[...before.keys()].filter((k) => !afterRows.some((r) => r.key === k))];
  const after = new Map(afterRows.map((r) => [r.key, r]));
  const intervals = probeIntervals(b);
  const expectations = keys.map((key) => expectationChange(key, before.get(key), after.get(key), tolerance, intervals));
  const verdict = verdictChange(a.outcome.verdict, b.outcome.verdict);
  const floorMs = Math.min(...intervals.values(), ...probeIntervals(a).values());
  const metrics = (['timeToDetectMs', 'timeToRecoverMs', 'revertDurationMs'] as const).map((name) =>
    metricChange(name, a.metrics[name], b.metrics[name], Number.isFinite(floorMs) ? floorMs : 0),
  );
  return {
    a: ref(a),
    b: ref(b),
    sameDrill: a.drill.name === b.drill.name,
    drillChanged: a.drill.sha256 !== b.drill.sha256,
    verdict,
    expectations,
    metrics,
    tolerance,
    regressions: [verdict, ...expectations].filter((c) => c.regression),
  };
}

function ref(j: Journal): RunRef {
  return { runId: j.runId, drill: j.drill.name, startedAt: j.startedAt, verdict: j.outcome.verdict };
}

function probeIntervals(j: Journal): Map<string, number> {
  return new Map(Object.entries(j.drill.spec.probes).map(([name, p]) => [name, p.interval]));
}

function verdictChange(before: Verdict, after: Verdict): RunComparison['verdict'] {
  const delta = (VERDICT_RANK[after] ?? 3) - (VERDICT_RANK[before] ?? 3);
  const change = before === after ? 'same' : delta > 0 ? 'worse' : delta < 0 ? 'better' : 'same';
  return {
    key: 'verdict',
    before,
    after,
    change,
    regression: change === 'worse',
    text: before === after ? `verdict: ${after}, as before` : `verdict: ${before} → ${after} (${change})`,
  };
}

function side(r: ExpectationRow): ExpectationSide {
  return { status: r.status, ok: r.ok, actual: r.actual, actualText: r.actualText };
}

function expectationChange(
  key: string,
  a: ExpectationRow | undefined,
  b: ExpectationRow | undefined,
  tolerance: number,
  intervals: ReadonlyMap<string, number>,
): ExpectationChange {
  const row = (b ?? a) as ExpectationRow;
  const label = `${row.phase} ${row.probe} ${row.description}`;
  const base = { key, phase: row.phase, probe: row.probe, metric: row.metric, description: row.description };
  if (!a || !b) {
    const only = (b ?? a) as ExpectationRow;
    return {
      ...base,
      before: a ? side(a) : null,
      after: b ? side(b) : null,
      change: b ? 'new' : 'gone',
      regression: false,
      worseBy: null,
      text: b ? `${label}: new in this run (${only.actualText}, ${STATUS_WORDS[only.status]})` : `${label}: no longer checked (was ${only.actualText})`,
    };
  }
  const floor = row.metric === 'recoversWithin' || row.metric === 'maxConsecutiveFailures' ? (row.metric === 'recoversWithin' ? (intervals.get(row.probe) ?? 0) : 0) : LATENCY_FLOOR_MS;
  const worseBy = relativeWorse(row.metric, a.actual, b.actual, b.limit ?? a.limit, floor);
  const stopped = a.ok && !b.ok;
  const started = !a.ok && b.ok;
  const change = stopped ? 'worse' : started ? 'better' : worseBy === null || worseBy === 0 ? 'same' : worseBy > 0 ? 'worse' : 'better';
  const regression = stopped || (change === 'worse' && worseBy !== null && worseBy > tolerance);
  const by = worseBy === null || worseBy === 0 || !Number.isFinite(worseBy) ? '' : `${worseBy > 0 ? 'worse' : 'better'} by ${formatPercent(Math.abs(worseBy))}`;
  const status = a.status === b.status ? '' : `${STATUS_WORDS[a.status]} → ${STATUS_WORDS[b.status]}`;
  const detail = [by, status].filter(Boolean).join('; ');
  return {
    ...base,
    before: side(a),
    after: side(b),
    change,
    regression,
    worseBy,
    text: `${label}: ${a.actualText} → ${b.actualText}${detail ? ` (${detail})` : change === 'same' ? ' (no change)' : ''}`,
  };
}

/**
 * How much worse `after` is than `before`, as a share; positive is worse. Success rates are
 * measured against the error budget (a drop from 99 % to 97 % under a 95 % limit used 40 % more of
 * it); everything else against the earlier value. A missing value (no recovery, no data) is
 * infinitely worse than any value.
 */
export function relativeWorse(metric: string, before: number | null, after: number | null, limit: number | null, floor: number): number | null {
  if (before === null && after === null) return 0;
  if (after === null) return Number.POSITIVE_INFINITY;
  if (before === null) return Number.NEGATIVE_INFINITY;
  if (metric === 'successRate') {
    const budget = limit !== null && limit < 1 ? 1 - limit : Math.max(1 - before, 0.01);
    return Math.round(((before - after) / budget) * 10_000) / 10_000;
  }
  if (Math.abs(after - before) <= floor) return 0;
  if (before === 0) return after > 0 ? Number.POSITIVE_INFINITY : 0;
  return Math.round(((after - before) / before) * 10_000) / 10_000;
}

const METRIC_LABELS: Record<MetricChange['name'], string> = {
  timeToDetectMs: 'time to detect',
  timeToRecoverMs: 'time to recover',
  revertDurationMs: 'revert',
};

function metricChange(name: MetricChange['name'], before: number | null, after: number | null, floorMs: number): MetricChange {
  const worseBy = relativeWorse(name, before, after, null, floorMs);
  // no time to detect means no failing sample at all: the fault was absorbed, or not seen
  const undirected = name === 'timeToDetectMs' && (before === null) !== (after === null);
  const change = undirected ? 'changed' : worseBy === null || worseBy === 0 ? 'same' : worseBy > 0 ? 'worse' : 'better';
  const show = (v: number | null) => (v === null ? 'none' : formatDurationMs(v));
  const by = undirected || worseBy === null || worseBy === 0 || !Number.isFinite(worseBy) ? '' : ` (${worseBy > 0 ? 'worse' : 'better'} by ${formatPercent(Math.abs(worseBy))})`;
  return {
    key: `metric/${name}`,
    name,
    before,
    after,
    change,
    regression: false,
    text: `${METRIC_LABELS[name]}: ${show(before)} → ${show(after)}${by}`,
  };
}
