/**
 * The JSON summary (`--format json`): a stable document for machines and for comparing runs. It is
 * the AAR model, not the raw journal: no samples beyond those behind a finding, no drill source.
 * Absent values are `null`, never missing, so consumers can rely on every key. Bump REPORT_VERSION
 * on any incompatible change.
 */
import type { KillSwitchKind, Verdict } from '../../journal/types.js';
import type { PremortemAnswer } from '../aar/context.js';
import type {
  AarModel,
  ActionRow,
  BlastRadiusFacts,
  ChangeLine,
  ChecklistItem,
  ExpectationStatus,
  FaultFacts,
  ManualFix,
  ObservationKind,
  ProbePhaseStats,
  ResultChange,
  SampleView,
  TimelineKind,
} from '../aar/model.js';

export const REPORT_VERSION = 1;

export interface JsonSample {
  t: number;
  probe: string | null;
  phase: string | null;
  ok: boolean;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

export interface JsonReport {
  reportVersion: typeof REPORT_VERSION;
  runId: string;
  journalVersion: number;
  tool: string;
  drill: { name: string; file: string; sha256: string; hypothesis: string | null; description: string | null; owner: string | null };
  environment: string;
  host: string;
  seed: number;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  verdict: Verdict;
  exitCode: number;
  reason: string;
  runnerReason: string;
  expectations: Array<{
    key: string;
    phase: string;
    probe: string;
    metric: string;
    description: string;
    expected: string;
    status: ExpectationStatus;
    ok: boolean;
    nearMiss: boolean;
    actual: number | null;
    actualText: string;
    limit: number | null;
    margin: number | null;
    budgetLeft: number | null;
    evidence: { samples: number; failures: number; note: string; worst: JsonSample | null };
  }>;
  expectationCounts: { total: number; missed: number; nearMisses: number; noData: number };
  metrics: { timeToDetectMs: number | null; timeToRecoverMs: number | null; revertDurationMs: number | null; killSwitchReactionMs: number | null };
  killSwitch: {
    tripped: boolean;
    t: number | null;
    kind: KillSwitchKind | null;
    condition: string | null;
    reason: string | null;
    reactionMs: number | null;
    samples: JsonSample[];
  };
  faults: Array<{
    id: string;
    faultId: string;
    type: string;
    target: string;
    label: string;
    pid: number | null;
    status: string;
    injectedT: number | null;
    revertedT: number | null;
    inPlaceMs: number | null;
    revertMs: number | null;
    revertAttempts: number;
    error: string | null;
  }>;
  timeline: Array<{ t: number; clock: string; kind: TimelineKind; phase: string | null; text: string; durationMs: number | null; derived: boolean }>;
  blastRadius: {
    contained: boolean;
    summary: string;
    targets: BlastRadiusFacts['targets'];
    touched: Array<{ faultId: string; label: string; type: string; target: string; pid: number | null; command: string | null; status: string }>;
    outside: BlastRadiusFacts['outside'];
  };
  probes: ProbePhaseStats[];
  checklist: ChecklistItem[];
  observations: Array<{
    kind: ObservationKind;
    severity: 'critical' | 'warning' | 'info';
    text: string;
    t: number | null;
    probe: string | null;
    expectation: string | null;
    samples: JsonSample[];
    fix: ManualFix | null;
  }>;
  premortem: string[];
  /** the pre-mortem as the team marked it in the merged notes (`happened` null until they do) */
  premortemMarks: Array<{ text: string; happened: PremortemAnswer | null; note: string | null }>;
  /** this run's action items, then open ones carried over from earlier runs (`carriedFrom`: that run's id) */
  actions: Array<Omit<ActionRow, 'owner' | 'due' | 'carriedFrom'> & { owner: string | null; due: string | null; carriedFrom: string | null }>;
  /** against the previous run of the same drill found in the report directory */
  learning: {
    previous: { runId: string; startedAt: string; verdict: Verdict; href: string } | null;
    changes: ChangeLine[];
    results: ResultChange[];
    repetition: string | null;
    earlierRuns: number;
  };
  /** where the merged team notes came from; null without notes */
  notesSource: string | null;
}

/** Projects the model onto the stable JSON shape. */
export function toJsonReport(model: AarModel): JsonReport {
  const { run, verdict, plan, facts } = model;
  return {
    reportVersion: REPORT_VERSION,
    runId: run.runId,
    journalVersion: run.journalVersion,
    tool: run.tool,
    drill: {
      name: run.drillName,
      file: run.drillFile,
      sha256: run.drillSha256,
      hypothesis: plan.hypothesis ?? null,
      description: plan.description ?? null,
      owner: plan.owner ?? null,
    },
    environment: run.environment,
    host: run.host,
    seed: run.seed,
    startedAt: run.startedAt,
    endedAt: run.endedAt ?? null,
    durationMs: run.durationMs ?? null,
    verdict: verdict.verdict,
    exitCode: verdict.exitCode,
    reason: verdict.reason,
    runnerReason: verdict.runnerReason,
    expectations: facts.expectations.map((r) => ({
      key: r.key,
      phase: r.phase,
      probe: r.probe,
      metric: r.metric,
      description: r.description,
      expected: r.expected,
      status: r.status,
      ok: r.ok,
      nearMiss: r.nearMiss,
      actual: r.actual,
      actualText: r.actualText,
      limit: r.limit,
      margin: r.margin,
      budgetLeft: r.budgetLeft,
      evidence: { samples: r.evidence.samples, failures: r.evidence.failures, note: r.evidence.note, worst: r.evidence.worst ? jsonSample(r.evidence.worst) : null },
    })),
    expectationCounts: facts.expectationCounts,
    metrics: {
      timeToDetectMs: facts.metrics.timeToDetectMs,
      timeToRecoverMs: facts.metrics.timeToRecoverMs,
      revertDurationMs: facts.metrics.revertDurationMs,
      killSwitchReactionMs: facts.metrics.killSwitchReactionMs,
    },
    killSwitch: {
      tripped: facts.killSwitch.tripped,
      t: facts.killSwitch.t ?? null,
      kind: facts.killSwitch.kind ?? null,
      condition: facts.killSwitch.condition ?? null,
      reason: facts.killSwitch.reason ?? null,
      reactionMs: facts.killSwitch.reactionMs ?? null,
      samples: facts.killSwitch.samples.map(jsonSample),
    },
    faults: facts.faults.map(jsonFault),
    timeline: facts.timeline.map((e) => ({
      t: e.t,
      clock: e.clock,
      kind: e.kind,
      phase: e.phase ?? null,
      text: e.text,
      durationMs: e.durationMs ?? null,
      derived: e.derived,
    })),
    blastRadius: {
      contained: facts.blastRadius.contained,
      summary: facts.blastRadius.summary,
      targets: facts.blastRadius.targets,
      touched: facts.blastRadius.touched.map((t) => ({ ...t, pid: t.pid ?? null, command: t.command ?? null })),
      outside: facts.blastRadius.outside,
    },
    probes: facts.probes,
    checklist: model.checklist,
    observations: model.why.observations.map((o) => ({
      kind: o.kind,
      severity: o.severity,
      text: o.text,
      t: o.t ?? null,
      probe: o.probe ?? null,
      expectation: o.expectation ?? null,
      samples: (o.samples ?? []).map(jsonSample),
      fix: o.fix ?? null,
    })),
    premortem: model.next.premortem.map((p) => p.text),
    premortemMarks: model.next.premortem.map((p) => ({ text: p.text, happened: p.happened, note: p.note ?? null })),
    actions: model.next.actions.map((a) => ({ text: a.text, owner: a.owner ?? null, due: a.due ?? null, done: a.done, carriedFrom: a.carriedFrom ?? null })),
    learning: {
      previous: model.learning.previous
        ? { runId: model.learning.previous.runId, startedAt: model.learning.previous.startedAt, verdict: model.learning.previous.verdict, href: model.learning.previous.href }
        : null,
      changes: model.learning.changes,
      results: model.learning.results,
      repetition: model.learning.repetition,
      earlierRuns: model.learning.earlierRuns,
    },
    notesSource: model.notes?.source ?? null,
  };
}

function jsonSample(s: SampleView): JsonSample {
  return { t: s.t, probe: s.probe ?? null, phase: s.phase ?? null, ok: s.ok, latencyMs: s.latencyMs, status: s.status ?? null, error: s.error ?? null };
}

function jsonFault(f: FaultFacts): JsonReport['faults'][number] {
  return {
    id: f.id,
    faultId: f.faultId,
    type: f.type,
    target: f.target,
    label: f.label,
    pid: f.pid ?? null,
    status: f.status,
    injectedT: f.injectedT ?? null,
    revertedT: f.revertedT ?? null,
    inPlaceMs: f.inPlaceMs ?? null,
    revertMs: f.revertMs ?? null,
    revertAttempts: f.revertAttempts,
    error: f.error ?? null,
  };
}
