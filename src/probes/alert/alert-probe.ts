/** The alert probe: fails while a named alert fires, read from Prometheus or from Alertmanager. */
import type { ProbeSpec } from '../../drill/schema.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { sourceHeaders } from '../prometheus/source-headers.js';
import { checkAlertmanagerAlert } from './alertmanager-alerts.js';
import { checkPrometheusAlert } from './prometheus-alerts.js';

export type AlertProbeSpec = NonNullable<ProbeSpec['alert']>;

/** Checks the alert once; resolves within about `timeoutMs` and never rejects. */
async function check(spec: AlertProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  const query = {
    url: spec.url,
    alertname: spec.alertname,
    labels: spec.labels,
    headers: sourceHeaders(spec, 'application/json'),
    timeoutMs,
    signal,
  };
  return spec.source === 'alertmanager' ? checkAlertmanagerAlert(query) : checkPrometheusAlert(query);
}

export const alertProber: Prober<AlertProbeSpec> = {
  kind: 'alert',
  describe: (p) => `alert ${p.alertname} (${p.source} at ${p.url}) expected not to fire`,
  check,
};
