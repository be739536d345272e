/** Which kind a probe is: the one kind key (`http`, `tcp`, ...) it sets. The probe registry dispatches on it. */
import type { ProbeSpec } from './schema.js';

export const PROBE_KINDS = ['http', 'tcp', 'command', 'prometheus', 'scrape', 'alert'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The probe's kind; undefined only for a probe the schema did not validate. */
export function kindOf(probe: ProbeSpec): ProbeKind | undefined {
  return PROBE_KINDS.find((kind) => probe[kind] !== undefined);
}
