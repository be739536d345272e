/**
 * How much of an expectation's budget a run used. For latencies and times the budget is the limit
 * itself (p95 at 750 ms of < 800 ms leaves 6 %); for success rates it is the error budget (>= 95 %
 * allows 5 % failures; 97.5 % measured leaves half of it). Measuring rates against the limit
 * instead would call 100 % against >= 99 % a near miss, which no team would.
 */
import type { Expectation, PhaseName } from '../../drill/schema.js';
import type { Threshold } from '../../drill/threshold.js';
import type { Journal } from '../../journal/types.js';
import { formatPercent } from '../../values/percent.js';

export type Limit = Pick<Threshold, 'op' | 'value'>;

/** The limit the drill set for the n-th (1-based) expectation of this phase, probe and metric. */
export function expectationLimit(journal: Journal, phase: PhaseName, probe: string, metric: string, occurrence = 1): Limit | undefined {
  if (phase === 'preflight') return undefined;
  const matches: Limit[] = [];
  for (const e of journal.drill.spec.expect[phase] ?? []) {
    if (e.probe !== probe) continue;
    const limit = limitOf(e, metric);
    if (limit) matches.push(limit);
  }
  return matches[occurrence - 1];
}

function limitOf(e: Expectation, metric: string): Limit | undefined {
  switch (metric) {
    case 'successRate': return e.successRate;
    case 'latencyP50': return e.latencyP50;
    case 'latencyP95': return e.latencyP95;
    case 'latencyP99': return e.latencyP99;
    case 'latencyMax': return e.latencyMax;
    case 'maxConsecutiveFailures': return e.maxConsecutiveFailures === undefined ? undefined : { op: '<=', value: e.maxConsecutiveFailures };
    case 'recoversWithin': return e.recoversWithin === undefined ? undefined : { op: '<=', value: e.recoversWithin };
    case 'value': return e.value;
    case 'errorRatio': return e.errorRatio;
    default: return undefined;
  }
}

/** Share of the budget left (1 = untouched, 0 = exactly at the limit, negative = over); undefined when it has no meaning. */
export function budgetLeft(metric: string, actual: number, limit: Limit): number | undefined {
  const higherIsBetter = limit.op === '>' || limit.op === '>=';
  const lowerIsBetter = limit.op === '<' || limit.op === '<=';
  if (metric === 'successRate' && higherIsBetter) {
    const budget = 1 - limit.value;
    if (budget <= 0) return actual >= limit.value ? 1 : -1;
    return (actual - limit.value) / budget;
  }
  if (lowerIsBetter) {
    if (limit.value === 0) return actual <= 0 ? 1 : -1;
    return (limit.value - actual) / limit.value;
  }
  return undefined;
}

/** `6% of the budget left`, `over the limit by 50%`, `7.5x the error budget`. */
export function budgetText(metric: string, left: number | null): string {
  if (left === null) return '—';
  if (left >= 0) return `${formatPercent(Math.min(1, left))} of the budget left`;
  if (metric === 'successRate') return `${trimmed(1 - left)}x the error budget`;
  return `over the limit by ${formatPercent(-left)}`;
}

function trimmed(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}
