/** Every probe kind, by the key a drill uses for it. Adding a kind: a new folder plus one line here. */
import { probeTimeoutMs } from '../drill/probe-timeout.js';
import type { ProbeSpec } from '../drill/schema.js';
import type { ProbeResult } from './contract.js';
import { alertProber } from './alert/alert-probe.js';
import { commandProber } from './command/command-probe.js';
import { httpProber } from './http/http-probe.js';
import { prometheusProber } from './prometheus/prometheus-probe.js';
import { scrapeProber } from './scrape/scrape-probe.js';
import { tcpProber } from './tcp/tcp-probe.js';

export const probers = {
  http: httpProber,
  tcp: tcpProber,
  command: commandProber,
  prometheus: prometheusProber,
  scrape: scrapeProber,
  alert: alertProber,
} as const;

export type ProbeKind = keyof typeof probers;

/** Runs one check of a drill probe; the kind's own `timeout` wins over the probe's `timeout`. */
export function runProbe(spec: ProbeSpec, signal: AbortSignal): Promise<ProbeResult> {
  const options = { timeoutMs: probeTimeoutMs(spec), signal };
  if (spec.http) return probers.http.check(spec.http, options);
  if (spec.tcp) return probers.tcp.check(spec.tcp, options);
  if (spec.command) return probers.command.check(spec.command, options);
  if (spec.prometheus) return probers.prometheus.check(spec.prometheus, options);
  if (spec.scrape) return probers.scrape.check(spec.scrape, options);
  if (spec.alert) return probers.alert.check(spec.alert, options);
  // the schema rules this out; a probe still reports instead of throwing
  return Promise.resolve({ ok: false, latencyMs: 0, error: 'probe names no kind (http, tcp, command, prometheus, scrape or alert)' });
}
