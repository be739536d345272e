/**
 * Whether an alert fires, as Alertmanager sees it (`/api/v2/alerts`). Silenced and inhibited
 * alerts count too: teams silence pages during a game day, and the kill switch must still see them.
 */
import type { ProbeResult } from '../contract.js';
import { apiUrl } from '../prometheus/promql-client.js';
import { getSource } from '../prometheus/source-request.js';
import { failedAnswer, httpErrorResult, invalidResult } from '../prometheus/value-result.js';
import { firstLine } from '../reason.js';
import { alertResult } from './alert-result.js';
import { alertmanagerFilters } from './alert-selector.js';
import type { AlertQuery } from './prometheus-alerts.js';

/** Lists the alert's active alerts; never rejects. */
export async function checkAlertmanagerAlert(q: AlertQuery): Promise<ProbeResult> {
  let target: URL;
  try {
    target = apiUrl(q.url, 'api/v2/alerts');
  } catch {
    return { ok: false, latencyMs: 0, outcome: 'unreachable', error: 'unreachable: invalid url' };
  }
  for (const f of alertmanagerFilters(q.alertname, q.labels)) target.searchParams.append('filter', f);
  const answer = await getSource({ url: target, headers: q.headers, timeoutMs: q.timeoutMs, signal: q.signal });
  if (answer.kind !== 'answer') return failedAnswer(answer);
  const { status, body, latencyMs } = answer;
  // Alertmanager answers a filter it cannot parse with 400 and the reason
  if (status === 400) return { ok: false, latencyMs, status, outcome: 'query-error', error: `query error: ${firstLine(body) || 'bad filter'}` };
  if (status < 200 || status > 299) return httpErrorResult(status, body, latencyMs);
  let doc: unknown;
  try {
    doc = JSON.parse(body) as unknown;
  } catch {
    return invalidResult('not JSON', status, latencyMs);
  }
  if (!Array.isArray(doc)) return invalidResult('not a list of alerts', status, latencyMs);
  const firing: Record<string, string>[] = [];
  let suppressed = 0;
  for (const alert of doc as unknown[]) {
    const labels = record(alert, 'labels');
    if (!labels) return invalidResult('an alert without labels', status, latencyMs);
    firing.push(labels);
    if (record(alert, 'status')?.state === 'suppressed') suppressed++;
  }
  return alertResult({ alertname: q.alertname, firing, latencyMs, ...(suppressed > 0 ? { note: `${suppressed} silenced or inhibited` } : {}) });
}

function record(value: unknown, name: string): Record<string, string> | undefined {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
