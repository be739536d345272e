/**
 * The After-Action Review as data. Markdown, JSON and HTML all render this one model, so every
 * format says the same things in the same order. Text fields are plain text (never markup): each
 * renderer escapes them for its own format. Times `t` are ms since run start, like the journal's.
 */
import type { EventType, KillSwitchKind, Verdict } from '../../journal/types.js';
import type { PhaseName } from '../../drill/schema.js';

export interface AarModel {
  run: RunFacts;
  verdict: VerdictLine;
  /** things that must be acted on now (a revert that failed); shown before anything else */
  alerts: Observation[];
  /** 1. What was supposed to happen? */
  plan: PlanSection;
  /** 2. What actually happened? */
  facts: FactsSection;
  /** 3. Why were there differences? */
  why: WhySection;
  /** 4. What do we do differently next time? */
  next: NextSection;
  checklist: ChecklistItem[];
}

export interface RunFacts {
  runId: string;
  drillName: string;
  drillFile: string;
  drillSha256: string;
  environment: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  seed: number;
  host: string;
  tool: string;
  journalVersion: number;
}

export interface VerdictLine {
  verdict: Verdict;
  /** `PASSED`, `FAILED`, `ABORTED`, `REVERT FAILED`, ... */
  label: string;
  /** one line, e.g. `hypothesis violated: 1 of 4 expectations missed` */
  reason: string;
  /** the runner's own words, when they add something to `reason` */
  runnerReason: string;
  exitCode: number;
  tone: 'good' | 'bad' | 'warn';
}

// ------------------------------------------------------------------------------------------------
// 1. the plan, as written before the run

export interface PlanSection {
  hypothesis?: string;
  description?: string;
  owner?: string;
  expectations: PlannedExpectation[];
  faults: PlannedFault[];
  probes: PlannedProbe[];
  phases: Array<{ name: PhaseName; plannedMs: number }>;
  blastRadius: PlannedBlastRadius;
  /** kill-switch conditions as written, then the ones that are always on */
  killSwitch: string[];
}

export interface PlannedExpectation {
  phase: PhaseName;
  probe: string;
  name?: string;
  /** e.g. `successRate >= 95%`, `recoversWithin 10s` */
  check: string;
}

export interface PlannedFault {
  id: string;
  type: string;
  target: string;
  startAfterMs: number;
  durationMs: number;
  /** type-specific settings, e.g. `signal SIGKILL, restart` */
  detail: string;
}

export interface PlannedProbe {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  /** e.g. `GET http://127.0.0.1:8080/health expecting 200` */
  what: string;
}

export interface PlannedBlastRadius {
  targets: string[];
  /** e.g. `count 1, random (seed 42)` */
  select: string;
  maxTargets: number;
  maxDurationMs: number;
  trafficShare?: number;
}

// ------------------------------------------------------------------------------------------------
// 2. measured facts

export interface FactsSection {
  blastRadius: BlastRadiusFacts;
  timeline: TimelineEntry[];
  /** failed first, then near misses, then the ones that held */
  expectations: ExpectationRow[];
  expectationCounts: { total: number; missed: number; nearMisses: number; noData: number };
  probes: ProbePhaseStats[];
  metrics: MetricsFacts;
  faults: FaultFacts[];
  killSwitch: KillSwitchFacts;
}

export interface BlastRadiusFacts {
  /** true when no fault record acted outside the selected instances of the blast-radius targets */
  contained: boolean;
  summary: string;
  targets: Array<{
    name: string;
    kind: string;
    inBlastRadius: boolean;
    resolvedBy: string;
    selection: string;
    instances: Array<{ id: string; pid: number; command: string; managed: boolean; selected: boolean; touchedBy: string[] }>;
  }>;
  /** what the faults acted on, one row per fault record that was injected (or tried to be) */
  touched: Array<{ faultId: string; label: string; type: string; target: string; pid?: number; command?: string; status: string }>;
  /** fault records that acted outside the blast radius (should always be empty) */
  outside: Array<{ faultId: string; label: string; why: string }>;
}

export type TimelineKind =
  | 'run-start'
  | 'phase'
  | 'inject'
  | 'inject-failed'
  | 'revert'
  | 'revert-failed'
  | 'first-failure'
  | 'kill-switch'
  | 'recovered'
  | 'run-end'
  | Exclude<EventType, 'phase-start' | 'phase-end'>;

export interface TimelineEntry {
  t: number;
  /** `+13.01s` */
  at: string;
  /** wall-clock time, ISO 8601 */
  clock: string;
  kind: TimelineKind;
  phase?: PhaseName;
  text: string;
  durationMs?: number;
  /** computed by the report from samples or metrics, not recorded by the runner */
  derived: boolean;
}

export type ExpectationStatus = 'missed' | 'no-data' | 'near-miss' | 'held';

export interface ExpectationRow {
  /** stable across runs, for compare: `fault/api-health/latencyP95` */
  key: string;
  phase: PhaseName;
  probe: string;
  metric: string;
  description: string;
  expected: string;
  actual: number | null;
  actualText: string;
  status: ExpectationStatus;
  ok: boolean;
  nearMiss: boolean;
  /** the journal's margin: share of the limit left over */
  margin: number | null;
  /** the drill's limit in the metric's unit (fraction, ms, count); null when not found in the drill */
  limit: number | null;
  /** share of the budget left (error budget for success rates; see aar/budget.ts) */
  budgetLeft: number | null;
  /** e.g. `6% of the budget left`, `over the limit by 50%` */
  budgetText: string;
  evidence: {
    samples: number;
    failures: number;
    worst?: SampleView;
    note: string;
    /** one line for a table cell */
    text: string;
  };
}

export interface SampleView {
  t: number;
  at: string;
  probe?: string;
  phase?: PhaseName;
  ok: boolean;
  latencyMs: number;
  status?: number;
  error?: string;
  /** `200 in 12ms`, `timeout after 1s (1s)` */
  text: string;
}

export interface ProbePhaseStats {
  probe: string;
  phase: PhaseName;
  samples: number;
  ok: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export interface MetricsFacts {
  timeToDetectMs: number | null;
  timeToRecoverMs: number | null;
  revertDurationMs: number | null;
  killSwitchReactionMs: number | null;
  timeToDetectText: string;
  timeToRecoverText: string;
  revertDurationText: string;
  killSwitchReactionText: string;
}

export interface FaultFacts {
  id: string;
  faultId: string;
  type: string;
  target: string;
  label: string;
  pid?: number;
  status: string;
  injectedT?: number;
  revertedT?: number;
  /** from injected to reverted; absent while the fault may still be in place */
  inPlaceMs?: number;
  revertMs?: number;
  revertAttempts: number;
  error?: string;
}

export interface KillSwitchFacts {
  tripped: boolean;
  t?: number;
  kind?: KillSwitchKind;
  condition?: string;
  reason?: string;
  reactionMs?: number;
  samples: SampleView[];
}

// ------------------------------------------------------------------------------------------------
// 3. why they differ

export type ObservationKind =
  | 'revert-failed'
  | 'inject-failed'
  | 'kill-switch'
  | 'baseline-unhealthy'
  | 'threshold-missed'
  | 'recovery-slow'
  | 'no-recovery'
  | 'first-failure'
  | 'errors-seen'
  | 'near-miss'
  | 'samples-missing'
  | 'no-effect';

export interface Observation {
  kind: ObservationKind;
  severity: 'critical' | 'warning' | 'info';
  text: string;
  t?: number;
  probe?: string;
  /** the key of the expectation row this observation explains */
  expectation?: string;
  /** the samples behind the observation, e.g. those that tripped the kill switch */
  samples?: SampleView[];
  /** how to undo by hand what firedrill could not */
  fix?: ManualFix;
}

export interface ManualFix {
  summary: string;
  /** shell commands, one per line, to run on the host the drill ran on */
  commands: string[];
  /** how to tell that the fix worked */
  check?: string;
  /** a command that shows it */
  checkCommand?: string;
}

export interface WhyChain {
  /** the difference the chain starts from, e.g. `fault: api-health latencyP95 < 800ms was missed (1.2s)` */
  problem: string;
  source: 'expectation' | 'kill-switch' | 'revert-failed' | 'inject-failed';
  /** what the tool itself saw, as a starting point for the first answer */
  seen: string[];
  /** how many `why?` lines to offer */
  depth: number;
}

export interface WhySection {
  observations: Observation[];
  fiveWhys: WhyChain[];
  /** prompts for what the data cannot show: planning, execution, outside factors */
  prompts: string[];
}

// ------------------------------------------------------------------------------------------------
// 4. next time, and the checklist

export interface NextSection {
  prompts: string[];
  premortem: Array<{ text: string; happened: null }>;
}

export type ChecklistAnswer = 'yes' | 'no' | 'partly' | 'unknown' | 'team';

export interface ChecklistItem {
  id: 'cost' | 'contained' | 'feedback' | 'reverted' | 'lesson';
  question: string;
  answer: ChecklistAnswer;
  detail: string;
}
