/**
 * The After-Action Review as data. Markdown, JSON and HTML all render this one model, so every
 * format says the same things in the same order. Text fields are plain text (never markup): each
 * renderer escapes them for its own format. Times `t` are ms since run start, like the journal's.
 */
import type { EventType, KillSwitchKind, Verdict } from '../../journal/types.js';
import type { PhaseName } from '../../drill/schema.js';
import type { ActionItem, PremortemAnswer } from './context.js';

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
  /** against the previous run of the same drill: what changed, what got better or worse */
  learning: LearningSection;
  /** per probe, the samples over time with phases, moments and thresholds (drawn by the HTML report) */
  charts: ChartsSection;
  /** the team's notes merged into the report; null without notes */
  notes: NotesFacts | null;
  /** set when the run was a rehearsal (`--rehearse`): nothing was injected */
  rehearsal: RehearsalFacts | null;
  /** what a postmortem template asks for: impact, detection, people, went well / badly / lucky, links */
  postmortem: PostmortemSection;
}

export interface PostmortemSection {
  impact: { summary: string; probes: ProbeImpact[]; slo: SloImpact | null };
  detection: {
    firedrillMs: number | null;
    firedrillText: string;
    /** the team's own alerts (`alert:` probes) */
    alerts: Array<{ probe: string; alertname: string; firedT?: number; afterInjectMs?: number; text: string }>;
    finding: string;
  };
  people: Array<{ name: string; role: string }>;
  /** each list: what the data shows, then what the team wrote in the notes file */
  wentWell: { fromData: string[]; fromTeam: string[] };
  wentBadly: { fromData: string[]; fromTeam: string[] };
  lucky: { fromData: string[]; fromTeam: string[] };
  links: Array<{ title: string; url: string }>;
}

export interface ProbeImpact {
  probe: string;
  /** checks during the fault phase */
  checks: number;
  failed: number;
  share: number | null;
}

export interface SloImpact {
  probe: string;
  /** `99.9%` */
  objective: string;
  /** `30d` */
  window: string;
  budgetMs: number;
  checks: number;
  failed: number;
  /** failed share × time watched: the equivalent time of full outage */
  badMs: number;
  /** share of the window's error budget burned */
  burned: number;
  text: string;
}

/** A rehearsal: what was not injected, and what the kill switch would have decided on the live data. */
export interface RehearsalFacts {
  /** the faults that would have been injected, in words */
  notInjected: string[];
  /** the first moment the drill's kill switch would have tripped; absent when it stayed quiet */
  wouldHaveTripped?: { t: number; at: string; condition?: string; reason?: string; samples: SampleView[] };
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
  /** the fault proxies' counters; empty when the drill had no proxy */
  proxies: ProxyFacts[];
  /** per remote host of `hosts:` targets; empty when the drill touched no remote host */
  hosts: HostFacts[];
}

/** One remote host: what was touched there, its revert, its lease, and what is left to do by hand. */
export interface HostFacts {
  host: string;
  /** `root@198.18.0.12:22`, from the undo recipes */
  address?: string;
  touched: Array<{ faultId: string; label: string; pid?: number; command?: string; status: string }>;
  /** from the host's first revert start to its last fault reverted; null while anything there is not reverted */
  revertMs: number | null;
  /** how its dead-man lease ended (`released`, `pending`, `unreachable`), in the runner's words */
  lease: { outcome: string; text: string } | null;
  /** why the host counts as unreachable; absent when it answered throughout */
  unreachable?: string;
  /** for each fault still in place there: how to undo it by hand (`ssh web-2 kill -CONT 1234`) */
  manualFix: Array<{ label: string; summary: string; commands: string[] }>;
}

export interface ProxyFacts {
  name: string;
  /** `127.0.0.1:7001 → 127.0.0.1:6379` */
  route: string;
  connections: number;
  refused: number;
  upstreamFailed: number;
  bytesUp: number;
  bytesDown: number;
  faults: Array<{ id: string; toxic: string; connectionsAffected: number; connectionsSelected: number; requestsMatched: number; applied: number }>;
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
  | 'no-effect'
  | 'repetition';

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

/** How to undo by hand what firedrill could not; each injector family writes its own (UndoKind.manualFix). */
export type { ManualFix } from '../../injectors/contract.js';
import type { ManualFix } from '../../injectors/contract.js';

export interface WhyChain {
  /** the difference the chain starts from, e.g. `fault: api-health latencyP95 < 800ms was missed (1.2s)` */
  problem: string;
  source: 'expectation' | 'kill-switch' | 'revert-failed' | 'inject-failed' | 'team';
  /** what the tool itself saw, as a starting point for the first answer */
  seen: string[];
  /** how many `why?` lines to offer */
  depth: number;
  /** the team's answers from the merged notes, when they filled this chain in */
  answers?: string[];
  root?: string;
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
  /** action items: this run's (from the merged notes), then open ones carried over from earlier runs */
  actions: ActionRow[];
  /** the drill's pre-mortem; `happened` as the team marked it in the notes, null until they do */
  premortem: Array<{ text: string; happened: PremortemAnswer | null; note?: string }>;
}

export interface ActionRow extends ActionItem {
  /** set for an open item carried over from an earlier run's notes */
  carriedFrom?: string;
}

export type ChecklistAnswer = 'yes' | 'no' | 'partly' | 'unknown' | 'team';

export interface ChecklistItem {
  id: 'cost' | 'contained' | 'feedback' | 'reverted' | 'iteration' | 'lesson';
  question: string;
  answer: ChecklistAnswer;
  detail: string;
}

// ------------------------------------------------------------------------------------------------
// learning across runs

export interface LearningSection {
  /** the previous run of the same drill found in the report directory; null when there is none */
  previous: PreviousRunFacts | null;
  /** what changed since then that firedrill can see: the drill file, targets, environment, tool */
  changes: ChangeLine[];
  /** the results against the previous run, expectation by expectation, then the run metrics */
  results: ResultChange[];
  /** set when a failure repeats with nothing changed: repetition, not iteration */
  repetition: string | null;
  /** earlier runs of this drill found, the previous one included */
  earlierRuns: number;
}

export interface PreviousRunFacts {
  runId: string;
  startedAt: string;
  verdict: Verdict;
  label: string;
  /** the previous run's folder, relative to this run's folder (ends with `/`) */
  href: string;
}

export interface ChangeLine {
  what: 'drill' | 'targets' | 'environment' | 'tool' | 'verdict';
  changed: boolean;
  text: string;
}

export interface ResultChange {
  /** an expectation key, or `metric/timeToRecover` and the like */
  key: string;
  /** `changed` when the values differ but neither is better (e.g. no failing sample to detect) */
  change: 'better' | 'worse' | 'same' | 'changed' | 'new' | 'gone';
  regression: boolean;
  /** e.g. `fault api-health latencyP95 < 800ms: 755ms → 1.18s (worse by 56%; held → MISSED)` */
  text: string;
}

// ------------------------------------------------------------------------------------------------
// charts

export interface ChartsSection {
  /** ms from run start to the last recorded moment: the x range of every chart */
  endT: number;
  phases: Array<{ name: PhaseName; startT: number; endT: number }>;
  /** moments every chart marks: injections, reverts, the kill switch, recovery */
  markers: ChartMarker[];
  probes: ProbeChart[];
}

export interface ChartMarker {
  t: number;
  kind: 'inject' | 'revert' | 'revert-failed' | 'kill-switch' | 'first-failure' | 'recovered' | 'recover-by';
  label: string;
}

export interface ProbeChart {
  probe: string;
  /** what the main line shows: latency of each check (ms), or the number a value probe read */
  measure: 'latency' | 'value';
  /** samples recorded, before any downsampling */
  samples: number;
  /** true when buckets of samples were reduced to their extremes (see aar/downsample.ts) */
  downsampled: boolean;
  /** the trailing window the success rate is computed over */
  successWindowMs: number;
  /** aligned columns, one entry per plotted point */
  t: number[];
  /** latency in ms, or the value read; null where a value probe read nothing */
  y: Array<number | null>;
  /** indexes (into the columns) of the samples that failed */
  failed: number[];
  /** success rate in % over the trailing window ending at that point */
  successPct: number[];
  thresholds: ChartThreshold[];
  /** moments of this probe only (its first failure, its recovery deadline) */
  markers: ChartMarker[];
}

export interface ChartThreshold {
  /** `measure` is the main line's axis (ms or the value); `success` the success-rate axis (%) */
  axis: 'measure' | 'success';
  value: number;
  fromT: number;
  toT: number;
  /** e.g. `fault: latencyP95 < 800ms` */
  label: string;
  /** for expectations: did it hold; kill-switch lines are `null` */
  held: boolean | null;
}

// ------------------------------------------------------------------------------------------------
// the team's notes

export interface NotesFacts {
  source: string;
  /** sections other than actions, 5 Whys and pre-mortem, as written */
  sections: Array<{ title: string; lines: string[] }>;
}
