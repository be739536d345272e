/** The probe contract: one small function per probe kind. A probe never throws; it reports. */
import type { ValueOutcome } from '../journal/types.js';

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  status?: number;
  /** short, single-line reason for a failure (`timeout after 1s`, `status 503`, `ECONNREFUSED`) */
  error?: string;
  /** optional extra context (first bytes of a body, stdout line) — already short */
  detail?: string;
  /** value probes: the number read (kept finite: ±Inf becomes ±Number.MAX_VALUE) */
  value?: number;
  /** value probes: what the metrics source answered */
  outcome?: ValueOutcome;
}

export interface ProbeCheckOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

export interface Prober<Spec> {
  readonly kind: string;
  /** What one check does, in words, for the plan and the report: `GET http://... expecting 2xx`. */
  describe(spec: Spec): string;
  /** Runs one check. Must resolve (never reject) within about `timeoutMs`, and stop when `signal` aborts. */
  check(spec: Spec, options: ProbeCheckOptions): Promise<ProbeResult>;
}
