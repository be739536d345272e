/** How a result with several series becomes the one value a sample carries. */
import type { Threshold } from '../../drill/threshold.js';
import { meets } from '../../drill/threshold.js';
import { labelsText, type Series } from './series.js';
import { formatValue } from '../../verdict/value-text.js';

export type ReduceRule = 'max' | 'min' | 'sum' | 'avg' | 'every';

export interface Reduced {
  value: number;
  /** which series decided it, or how many were combined; empty for a single unlabelled series */
  detail: string;
}

// a reason line names a few failing series, not hundreds
const NAME_AT_MOST = 3;

/**
 * Reduces non-empty `series` (no NaN) by `rule`. `every` needs `expectValue`: the value is the
 * worst series for that comparison (the highest for `<`, the lowest for `>`), so it meets the
 * threshold exactly when every series does.
 */
export function reduceSeries(series: readonly Series[], rule: ReduceRule, expectValue?: Threshold): Reduced {
  if (series.length === 1) {
    const only = series[0] as Series;
    const labels = labelsText(only.labels);
    return { value: only.value, detail: labels === '{}' ? '' : labels };
  }
  const n = series.length;
  switch (rule) {
    case 'sum':
      return { value: series.reduce((a, s) => a + s.value, 0), detail: `sum of ${n} series` };
    case 'avg':
      return { value: series.reduce((a, s) => a + s.value, 0) / n, detail: `average of ${n} series` };
    case 'max':
    case 'min': {
      const pick = extreme(series, rule);
      return { value: pick.value, detail: `${rule} of ${n} series: ${labelsText(pick.labels)}` };
    }
    case 'every':
      return every(series, expectValue);
  }
}

function extreme(series: readonly Series[], rule: 'max' | 'min'): Series {
  let pick = series[0] as Series;
  for (const s of series) if (rule === 'max' ? s.value > pick.value : s.value < pick.value) pick = s;
  return pick;
}

function every(series: readonly Series[], expectValue: Threshold | undefined): Reduced {
  const n = series.length;
  if (!expectValue) return { value: extreme(series, 'max').value, detail: `max of ${n} series (every needs expectValue)` };
  const failing = series.filter((s) => !meets(s.value, expectValue));
  const upper = expectValue.op === '<' || expectValue.op === '<=';
  const lower = expectValue.op === '>' || expectValue.op === '>=';
  const worst = upper ? extreme(series, 'max') : lower ? extreme(series, 'min') : (failing[0] ?? (series[0] as Series));
  if (failing.length === 0) return { value: worst.value, detail: `all ${n} series meet ${expectValue.text}` };
  const named = failing.slice(0, NAME_AT_MOST).map((s) => `${labelsText(s.labels)} ${formatValue(s.value)}`);
  const more = failing.length > NAME_AT_MOST ? `, and ${failing.length - NAME_AT_MOST} more` : '';
  return { value: worst.value, detail: `${failing.length} of ${n} series fail: ${named.join(', ')}${more}` };
}
