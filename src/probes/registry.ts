/** Every probe kind, by the key a drill uses for it. Adding a kind: a new folder plus one line here. */
import { probeTimeoutMs } from '../drill/probe-timeout.js';
import type { ProbeSpec } from '../drill/schema.js';
import { kindOf } from '../drill/probe-kind.js';
import type { ProbeResult, Prober } from './contract.js';
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

export type { ProbeKind } from '../drill/probe-kind.js';

/** The prober of a probe's kind, called with that kind's spec. */
function proberOf(spec: ProbeSpec): { prober: Prober<unknown>; kindSpec: unknown } | undefined {
  const kind = kindOf(spec);
  // the registry maps each kind to the prober of that kind's spec; TypeScript cannot follow the index
  return kind ? { prober: probers[kind] as Prober<unknown>, kindSpec: spec[kind] } : undefined;
}

/** What one check of the probe does, in words (plan, report): `GET http://... expecting 2xx`. */
export function describeProbe(spec: ProbeSpec): string {
  const found = proberOf(spec);
  return found ? found.prober.describe(found.kindSpec) : '(no check)';
}

/** Runs one check of a drill probe; the kind's own `timeout` wins over the probe's `timeout`. */
export function runProbe(spec: ProbeSpec, signal: AbortSignal): Promise<ProbeResult> {
  const found = proberOf(spec);
  if (found) return found.prober.check(found.kindSpec, { timeoutMs: probeTimeoutMs(spec), signal });
  // the schema rules this out; a probe still reports instead of throwing
  return Promise.resolve({ ok: false, latencyMs: 0, error: 'probe names no kind (http, tcp, command, prometheus, scrape or alert)' });
}
