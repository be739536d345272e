/** Whether an alert fires, as Prometheus sees it: the `ALERTS` series with `alertstate="firing"`. */
import type { ProbeResult } from '../contract.js';
import { instantQuery } from '../prometheus/promql-client.js';
import { alertResult } from './alert-result.js';
import { alertsSelector } from './alert-selector.js';

export interface AlertQuery {
  url: string;
  alertname: string;
  labels: Record<string, string>;
  headers: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Queries ALERTS for the alert; never rejects. */
export async function checkPrometheusAlert(q: AlertQuery): Promise<ProbeResult> {
  const answer = await instantQuery({ url: q.url, query: alertsSelector(q.alertname, q.labels), headers: q.headers, timeoutMs: q.timeoutMs, signal: q.signal });
  if (answer.kind === 'failed') return answer.result;
  const firing = answer.series.filter((s) => s.labels.alertstate === 'firing').map((s) => s.labels);
  const pending = answer.series.filter((s) => s.labels.alertstate === 'pending').length;
  return alertResult({ alertname: q.alertname, firing, latencyMs: answer.latencyMs, ...(pending > 0 ? { note: `${pending} pending` } : {}) });
}
