/** A probe's effective timeout: its kind's own `timeout` when set, else the probe's. */
import { kindOf } from './probe-kind.js';
import type { ProbeSpec } from './schema.js';

export function probeTimeoutMs(p: ProbeSpec): number {
  const kind = kindOf(p);
  return (kind ? p[kind]?.timeout : undefined) ?? p.timeout;
}
