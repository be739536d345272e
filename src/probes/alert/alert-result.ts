/** An alert check's result: failed while the alert fires; the value is how many series fire. */
import type { ProbeResult } from '../contract.js';
import { labelsText } from '../prometheus/series.js';

export interface AlertState {
  alertname: string;
  /** label sets of the firing alerts */
  firing: Record<string, string>[];
  /** e.g. `2 pending`, `1 silenced`: context for the reason line */
  note?: string;
  latencyMs: number;
}

const OWN_LABELS = new Set(['alertname', 'alertstate', '__name__']);

/** ok while nothing fires; the error names the alert and the first firing series. */
export function alertResult({ alertname, firing, note, latencyMs }: AlertState): ProbeResult {
  const n = firing.length;
  if (n === 0) return { ok: true, latencyMs, value: 0, outcome: 'value', ...(note ? { detail: note } : {}) };
  const first = Object.fromEntries(Object.entries(firing[0] ?? {}).filter(([k]) => !OWN_LABELS.has(k)));
  const labels = labelsText(first);
  const detail = [labels === '{}' ? '' : labels, note ?? ''].filter(Boolean).join('; ');
  return {
    ok: false,
    latencyMs,
    value: n,
    outcome: 'value',
    error: `alert ${alertname} firing${n > 1 ? ` (${n} series)` : ''}`,
    ...(detail ? { detail } : {}),
  };
}
