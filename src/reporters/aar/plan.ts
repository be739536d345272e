/** "What was supposed to happen?": the drill's own words and numbers, as written before the run. */
import { probeTimeoutMs } from '../../drill/probe-timeout.js';
import { formatDurationMs } from '../../drill/duration.js';
import { faultId } from '../../drill/fault-id.js';
import type { Drill, Expectation, FaultSpec, KillCondition, PhaseName, ProbeSpec } from '../../drill/schema.js';
import type { Journal } from '../../journal/types.js';
import { injectorOfType } from '../../injectors/registry.js';
import { describeProbe } from '../../probes/registry.js';
import type { PlanSection, PlannedExpectation, PlannedFault, PlannedProbe } from './model.js';
import { formatPercent } from '../../values/percent.js';

const EXPECT_PHASES = ['baseline', 'fault', 'recovery'] as const;

/** Builds the plan section from the drill as the journal recorded it. */
export function buildPlan(journal: Journal): PlanSection {
  const spec = journal.drill.spec;
  const plan: PlanSection = {
    expectations: EXPECT_PHASES.flatMap((phase) => (spec.expect?.[phase] ?? []).map((e) => plannedExpectation(phase, e))),
    faults: spec.faults.map(plannedFault),
    probes: Object.entries(spec.probes).map(([name, p]) => plannedProbe(name, p)),
    phases: plannedPhases(spec),
    blastRadius: {
      targets: spec.blastRadius.target,
      select: describeSelection(spec, journal.seed),
      maxTargets: spec.blastRadius.maxTargets,
      maxDurationMs: spec.blastRadius.maxDuration,
    },
    killSwitch: [...spec.killSwitch.map(describeKillCondition), ...alwaysOnConditions(spec)],
  };
  if (spec.blastRadius.trafficShare !== undefined) plan.blastRadius.trafficShare = spec.blastRadius.trafficShare;
  const hypothesis = journal.drill.hypothesis ?? spec.hypothesis;
  const description = journal.drill.description ?? spec.description;
  const owner = journal.drill.owner ?? spec.owner;
  if (hypothesis !== undefined) plan.hypothesis = hypothesis;
  if (description !== undefined) plan.description = description;
  if (owner !== undefined) plan.owner = owner;
  return plan;
}

/** The check of an expectation as the drill wrote it, e.g. `latencyP95 < 800ms`. */
export function describeExpectation(e: Expectation): string {
  if (e.successRate) return `successRate ${e.successRate.text}`;
  if (e.latencyP50) return `latencyP50 ${e.latencyP50.text}`;
  if (e.latencyP95) return `latencyP95 ${e.latencyP95.text}`;
  if (e.latencyP99) return `latencyP99 ${e.latencyP99.text}`;
  if (e.latencyMax) return `latencyMax ${e.latencyMax.text}`;
  if (e.maxConsecutiveFailures !== undefined) return `maxConsecutiveFailures ${e.maxConsecutiveFailures}`;
  if (e.recoversWithin !== undefined) return `recoversWithin ${formatDurationMs(e.recoversWithin)}`;
  const of = e.aggregate && e.aggregate !== 'every' ? ` (${e.aggregate})` : '';
  if (e.value) return `value ${e.value.text}${of}`;
  if (e.valueBetween) return `valueBetween [${e.valueBetween[0]}, ${e.valueBetween[1]}]${of}`;
  if (e.errorRatio) return `errorRatio ${e.errorRatio.text}${e.total ? ` of ${e.total}` : ''}`;
  return '(no check)';
}

/** A kill-switch condition in words: `api-health: 3 consecutive failures`. */
export function describeKillCondition(k: KillCondition): string {
  const who = k.name ? `${k.name} (${k.probe})` : k.probe;
  if (k.consecutiveFailures !== undefined) return `${who}: ${k.consecutiveFailures} consecutive failures`;
  if (k.latencyAbove !== undefined) {
    return `${who}: latency above ${formatDurationMs(k.latencyAbove)}${k.for !== undefined ? ` for ${formatDurationMs(k.for)}` : ''}`;
  }
  if (k.successRateBelow !== undefined) {
    return `${who}: success rate below ${formatPercent(k.successRateBelow)}${k.window !== undefined ? ` over ${formatDurationMs(k.window)}` : ''}`;
  }
  const held = k.for !== undefined ? ` for ${formatDurationMs(k.for)}` : '';
  if (k.valueAbove !== undefined) return `${who}: value above ${k.valueAbove}${held}`;
  if (k.valueBelow !== undefined) return `${who}: value below ${k.valueBelow}${held}`;
  if (k.alertFiring !== undefined) return `${who}: the alert fires${held}`;
  if (k.errorRatioAbove !== undefined) {
    return `${who}: error ratio above ${formatPercent(k.errorRatioAbove)}${k.total ? ` of ${k.total}` : ''}${k.window !== undefined ? ` over ${formatDurationMs(k.window)}` : ''}`;
  }
  return `${who}: (no condition)`;
}

function alwaysOnConditions(spec: Drill): string[] {
  return [
    `always on: the drill reaches its maxDuration of ${formatDurationMs(spec.blastRadius.maxDuration)}`,
    'always on: Ctrl-C / SIGTERM, or the stop file',
    `always on: a probe has no data for ${spec.safety.noDataIntervals} intervals`,
  ];
}

function plannedExpectation(phase: PhaseName, e: Expectation): PlannedExpectation {
  const row: PlannedExpectation = { phase, probe: e.probe, check: describeExpectation(e) };
  if (e.name !== undefined) row.name = e.name;
  return row;
}

function plannedFault(f: FaultSpec, index: number): PlannedFault {
  return {
    id: faultId(f, index),
    type: f.type,
    target: f.target,
    startAfterMs: f.startAfter,
    durationMs: f.duration,
    detail: faultDetail(f),
  };
}

/** How the fault acts and what reverts it, in its injector's words; empty for a type this version does not know. */
function faultDetail(f: FaultSpec): string {
  return injectorOfType(f.type)?.describe(f) ?? '';
}

export { commandText } from '../../values/command-text.js';

function plannedProbe(name: string, p: ProbeSpec): PlannedProbe {
  const timeoutMs = probeTimeoutMs(p);
  return { name, intervalMs: p.interval, timeoutMs, what: describeProbe(p) };
}


function plannedPhases(spec: Drill): Array<{ name: PhaseName; plannedMs: number }> {
  const faultWindowMs = Math.max(0, ...spec.faults.map((f) => f.startAfter + f.duration));
  return [
    { name: 'preflight', plannedMs: spec.phases.preflight },
    { name: 'baseline', plannedMs: spec.phases.baseline },
    { name: 'fault', plannedMs: faultWindowMs },
    { name: 'recovery', plannedMs: spec.phases.recovery },
  ];
}

function describeSelection(spec: Drill, seed: number): string {
  const s = spec.blastRadius.select;
  const how = s.mode === 'all' ? 'all' : s.mode === 'count' ? `count ${s.value ?? 1}` : `${s.value ?? 0}%`;
  if (s.mode === 'all') return how;
  return s.pick === 'random' ? `${how}, random (seed ${s.seed ?? seed})` : `${how}, first found`;
}
