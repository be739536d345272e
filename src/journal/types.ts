/**
 * The run record. The runner writes it; every report is rendered from it alone.
 * Times inside a run (`t`, `startT`, ...) are milliseconds since `startedAt` on a monotonic clock.
 * Bump JOURNAL_VERSION on any incompatible change and teach journal/read.ts to migrate.
 */
import type { Drill, PhaseName } from '../drill/schema.js';
import type { ProxyStats } from '../injectors/proxy/fault-proxy.js';

export const JOURNAL_VERSION = 1;

export type Verdict = 'passed' | 'failed' | 'aborted' | 'refused' | 'invalid' | 'revert-failed' | 'error';

export interface Sample {
  probe: string;
  /** ms since run start when the check began */
  t: number;
  phase: PhaseName;
  ok: boolean;
  latencyMs: number;
  status?: number;
  error?: string;
  detail?: string;
  /** value probes (prometheus, scrape, alert): the number read; ±Inf is stored as ±Number.MAX_VALUE */
  value?: number;
  /** value probes: what the metrics source answered */
  outcome?: ValueOutcome;
}

/**
 * What a value probe's source answered: a number, nothing (empty result or NaN), no rate yet (a
 * scrape needs two), no answer (refused, timeout), a non-API HTTP error, an error from the query
 * API, or a body it could not read.
 */
export type ValueOutcome = 'value' | 'empty' | 'pending' | 'unreachable' | 'http-error' | 'query-error' | 'invalid-response';

export type EventType =
  | 'run-start'
  | 'phase-start'
  | 'phase-end'
  | 'target-started'
  | 'target-stopped'
  | 'targets-resolved'
  | 'inject'
  | 'inject-failed'
  | 'revert'
  | 'revert-failed'
  | 'kill-switch'
  | 'abort'
  | 'recovered'
  | 'warning'
  | 'preflight'
  | 'run-end';

export interface JournalEvent {
  t: number;
  type: EventType;
  phase?: PhaseName;
  message: string;
  data?: Record<string, unknown>;
}

export interface TargetInstanceRecord {
  id: string;
  pid: number;
  command: string;
  managed: boolean;
  selected: boolean;
}

export interface TargetRecord {
  name: string;
  kind: 'process' | 'managed' | 'container';
  /** how the instances were found, e.g. `command line matches "examples/shop/backend"` */
  resolvedBy: string;
  /** how the selected ones were picked, e.g. `count 1 of 3, random (seed 42)` */
  selection: string;
  instances: TargetInstanceRecord[];
}

export type FaultStatus = 'planned' | 'injected' | 'reverted' | 'inject-failed' | 'revert-failed' | 'not-injected';

export interface FaultRecord {
  /** fault id from the drill (or `type#index`) plus the instance it acts on */
  id: string;
  faultId: string;
  type: string;
  target: string;
  instance?: { pid: number; command: string };
  label: string;
  plannedStartT: number;
  plannedDurationMs: number;
  injectedT?: number;
  revertStartT?: number;
  revertedT?: number;
  revertAttempts: number;
  status: FaultStatus;
  error?: string;
}

export type KillSwitchKind = 'probe' | 'max-duration' | 'operator' | 'stop-file' | 'no-data' | 'inject-failed' | 'metrics-unreachable';

export interface KillSwitchRecord {
  tripped: boolean;
  t?: number;
  kind?: KillSwitchKind;
  /** the condition as written, e.g. `api-health: 3 consecutive failures` */
  condition?: string;
  reason?: string;
  samples?: Sample[];
  /** from the tripping moment to the last fault reverted */
  reactionMs?: number;
}

export interface ExpectationResult {
  phase: PhaseName;
  probe: string;
  /** e.g. `successRate >= 99%` */
  description: string;
  /** the expectation's own `name:` from the drill, when it has one */
  name?: string;
  metric:
    | 'successRate'
    | 'latencyP50'
    | 'latencyP95'
    | 'latencyP99'
    | 'latencyMax'
    | 'maxConsecutiveFailures'
    | 'recoversWithin'
    | 'value'
    | 'valueBetween'
    | 'errorRatio';
  expected: string;
  /** the measured value in the metric's unit (fraction for rates, ms for latency and time); null without data */
  actual: number | null;
  actualText: string;
  ok: boolean;
  /** share of the limit left over (negative when missed); used to flag near misses */
  margin: number | null;
  nearMiss: boolean;
  evidence: {
    samples: number;
    failures: number;
    /** the worst sample of the window for this metric */
    worst?: Pick<Sample, 't' | 'ok' | 'latencyMs' | 'status' | 'error' | 'value'>;
    note: string;
  };
}

export interface PhaseRecord {
  name: PhaseName;
  startT: number;
  endT?: number;
  plannedMs: number;
}

export interface RunMetrics {
  /** first fault injected → first failing sample of any probe */
  timeToDetectMs: number | null;
  /** last fault reverted → first of 3 healthy samples in a row on every probe */
  timeToRecoverMs: number | null;
  /** kill-switch trip or planned end → last undo finished */
  revertDurationMs: number | null;
}

export interface Journal {
  journalVersion: typeof JOURNAL_VERSION;
  tool: { name: 'firedrill'; version: string; node: string };
  runId: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  host: { hostname: string; platform: string };
  environment: string;
  seed: number;
  drill: {
    name: string;
    description?: string;
    hypothesis?: string;
    owner?: string;
    premortem: string[];
    file: string;
    sha256: string;
    /** the YAML as written, secrets never interpolated */
    source: string;
    /** the validated drill after variables, secrets replaced by `***` */
    spec: Drill;
  };
  /** the variables the drill used; secret values are `***` */
  vars: Record<string, string>;
  targets: TargetRecord[];
  phases: PhaseRecord[];
  faults: FaultRecord[];
  events: JournalEvent[];
  samples: Sample[];
  killSwitch: KillSwitchRecord;
  expectations: ExpectationResult[];
  metrics: RunMetrics;
  /** the fault proxies' own counters at the end of the run */
  proxies?: ProxyStats[];
  outcome: { verdict: Verdict; exitCode: number; reason: string };
}
