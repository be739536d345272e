/** A probe's effective timeout: its kind's own `timeout` when set, else the probe's. */
import type { ProbeSpec } from './schema.js';

export function probeTimeoutMs(p: ProbeSpec): number {
  return p.http?.timeout ?? p.tcp?.timeout ?? p.command?.timeout ?? p.prometheus?.timeout ?? p.scrape?.timeout ?? p.alert?.timeout ?? p.timeout;
}
