/**
 * What a postmortem template asks for, from the journal: the impact (failed checks per probe during
 * the fault, error budget burned against the drill's SLO), detection (the team's own `alert:`
 * probes next to firedrill's), the people, what went well, badly and where the team got lucky
 * (pre-filled from the data, completed by the team in the notes file) and the drill's links. Pure.
 */
import { kindOf } from '../../drill/probe-kind.js';
import { probeReader, samplesOfProbe, someSample } from '../../journal/sample-index.js';
import type { Journal, JournalPhaseName, Sample } from '../../journal/types.js';
import { formatDurationMs } from '../../values/duration.js';
import { formatPercent } from '../../values/percent.js';
import type { TeamNotes } from './context.js';
import type { ExpectationRow, PostmortemSection, ProbeImpact, SloImpact } from './model.js';

/** Note sections the team completes these lists with (matched case-insensitively). */
export const TEAM_SECTIONS = { wentWell: /^went well$/i, wentBadly: /^went badly$/i, lucky: /^(where we got )?lucky$/i } as const;

export function postmortemSection(journal: Journal, rows: readonly ExpectationRow[], notes?: TeamNotes): PostmortemSection {
  const spec = journal.drill.spec;
  const people = [
    ...(spec.facilitator ? [{ name: spec.facilitator.name, role: spec.facilitator.role ?? 'facilitator' }] : []),
    ...(journal.drill.owner && journal.drill.owner !== spec.facilitator?.name ? [{ name: journal.drill.owner, role: 'drill owner' }] : []),
    ...(spec.participants ?? []).map((p) => ({ name: p.name, role: p.role ?? 'participant' })),
  ];
  const impact = impactOf(journal);
  const detection = detectionOf(journal);
  const lists = wellBadlyLucky(journal, rows, detection.finding, impact.slo);
  const team = (re: RegExp) => (notes?.sections ?? []).filter((s) => re.test(s.title.trim())).flatMap((s) => s.lines.map((l) => l.replace(/^\s*[-*]\s+/, '')).filter((l) => l.trim() !== ''));
  return {
    impact,
    detection,
    people,
    wentWell: { fromData: lists.well, fromTeam: team(TEAM_SECTIONS.wentWell) },
    wentBadly: { fromData: lists.badly, fromTeam: team(TEAM_SECTIONS.wentBadly) },
    lucky: { fromData: lists.lucky, fromTeam: team(TEAM_SECTIONS.lucky) },
    links: (spec.links ?? []).map((l) => ({ title: l.title, url: l.url })),
  };
}

/**
 * A game day's manual step: the team broke something by hand while firedrill watched. Its journal
 * has a fault phase (the time the team acted) and no fault of firedrill's (a drill has at least one).
 */
export function isManualStep(journal: Journal): boolean {
  return journal.gameday !== undefined && journal.drill.spec.faults.length === 0;
}

/** When the trouble started: the first injection, or the start of a manual step's fault phase (the team began acting). */
function troubleStartT(journal: Journal): number | undefined {
  if (isManualStep(journal)) return journal.phases.find((p) => p.name === 'fault')?.startT;
  const first = Math.min(...journal.faults.map((f) => f.injectedT ?? Infinity));
  return Number.isFinite(first) ? first : undefined;
}

/** Probes that stand for user traffic: everything but the team's alerts and read-only values. */
function trafficProbes(journal: Journal): string[] {
  return Object.entries(journal.drill.spec.probes)
    .filter(([, p]) => {
      const kind = kindOf(p);
      return kind === 'http' || kind === 'tcp' || kind === 'command';
    })
    .map(([name]) => name);
}

/** A probe's checks in the given phases and how many of them failed, counted field by field (no object per sample). */
function checksIn(journal: Journal, probe: string, phases: readonly JournalPhaseName[]): { checks: number; failed: number } {
  const r = probeReader(journal.samples, probe);
  let checks = 0;
  let failed = 0;
  for (let i = 0; i < r.length; i++) {
    if (!phases.includes(r.phase(i))) continue;
    checks++;
    if (!r.ok(i)) failed++;
  }
  return { checks, failed };
}

function impactOf(journal: Journal): PostmortemSection['impact'] {
  const fault = journal.phases.find((p) => p.name === 'fault');
  const manual = isManualStep(journal);
  const injected = troubleStartT(journal) !== undefined;
  const probes: ProbeImpact[] = trafficProbes(journal).map((probe) => {
    const { checks, failed } = checksIn(journal, probe, ['fault']);
    return { probe, checks, failed, share: checks ? failed / checks : null };
  });
  const slo = sloImpact(journal);
  const phaseText = fault
    ? manual
      ? `the ${formatDurationMs((fault.endT ?? fault.startT) - fault.startT)} the team acted by hand`
      : `the fault phase (${formatDurationMs((fault.endT ?? fault.startT) - fault.startT)})`
    : 'the fault phase (it did not start)';
  const summary = !injected
    ? journal.rehearsal
      ? `Rehearsal: nothing was injected; the checks below are the undisturbed system's during ${phaseText}.`
      : 'Nothing was injected, so the drill caused no impact.'
    : probes.every((p) => p.failed === 0)
      ? `No check of ${probes.map((p) => p.probe).join(', ') || 'any traffic probe'} failed during ${phaseText}.`
      : `${probes.filter((p) => p.failed > 0).map((p) => `${p.probe}: ${p.failed} of ${p.checks} checks failed (${formatPercent(p.share ?? 0)})`).join('; ')} during ${phaseText}.`;
  return { summary, probes, slo };
}

/** The error budget the drill burned: the SLO probe's failed share over the fault and recovery, as time of full outage, against the window's budget. */
function sloImpact(journal: Journal): SloImpact | null {
  const slo = journal.drill.spec.slo;
  if (!slo) return null;
  const watched = journal.phases.filter((p) => p.name === 'fault' || p.name === 'recovery');
  const spanMs = watched.reduce((sum, p) => sum + Math.max(0, (p.endT ?? p.startT) - p.startT), 0);
  const { checks, failed } = checksIn(journal, slo.probe, ['fault', 'recovery']);
  const budgetMs = (1 - slo.objective) * slo.window;
  const badMs = checks ? (failed / checks) * spanMs : 0;
  const burned = budgetMs > 0 ? badMs / budgetMs : 0;
  const objective = formatPercent(slo.objective);
  const window = `${Math.round(slo.window / 86_400_000)}d`;
  return {
    probe: slo.probe,
    objective,
    window,
    budgetMs,
    checks,
    failed,
    badMs,
    burned,
    text:
      checks === 0
        ? `No check of ${slo.probe} in the fault or recovery phase: the budget burned cannot be told.`
        : `${slo.probe}: ${failed} of ${checks} checks failed over ${formatDurationMs(spanMs)} of fault and recovery, about ${formatDurationMs(Math.round(badMs))} of full outage: ${burnText(burned)} of the ${window} error budget (${formatDurationMs(Math.round(budgetMs))} at ${objective}), counting each check as an equal share of the traffic.`,
  };
}

function burnText(share: number): string {
  if (share === 0) return '0%';
  if (share < 0.0001) return 'less than 0.01%';
  return formatPercent(share);
}

function detectionOf(journal: Journal): PostmortemSection['detection'] {
  const start = troubleStartT(journal);
  const firstInject = start ?? Infinity;
  const injected = start !== undefined;
  // a manual step's trouble is the team's own action, not an injection
  const since = isManualStep(journal) ? 'the team started' : 'the injection';
  const alertProbes = Object.entries(journal.drill.spec.probes).filter(([, p]) => kindOf(p) === 'alert');
  const firedrillMs = journal.metrics.timeToDetectMs ?? null;
  const alerts = alertProbes.map(([probe, p]) => {
    const firing = samplesOfProbe(journal.samples, probe).find((s: Sample) => !s.ok && (!injected || s.t >= firstInject));
    const alertname = p.alert?.alertname ?? probe;
    return {
      probe,
      alertname,
      ...(firing ? { firedT: firing.t } : {}),
      ...(firing && injected ? { afterInjectMs: firing.t - firstInject } : {}),
    };
  });
  const alertNames = new Set(alertProbes.map(([n]) => n));
  const sawFailures = someSample(journal.samples, (s) => !s.ok && (s.phase === 'fault' || s.phase === 'recovery') && !alertNames.has(s.probe));
  let finding: string;
  if (!injected) finding = journal.rehearsal ? 'Rehearsal: nothing was injected, so there was nothing to detect.' : 'Nothing was injected, so there was nothing to detect.';
  else if (alertProbes.length === 0) finding = "The drill watches none of the team's alerts (no alert probe), so the report cannot say whether the team's alerting noticed.";
  else if (alerts.every((a) => a.firedT === undefined)) {
    finding = sawFailures
      ? `Nobody's alert fired: ${alerts.map((a) => a.alertname).join(', ')} stayed quiet while firedrill's probes saw failures.`
      : `No alert fired, and firedrill's probes saw no failure either.`;
  } else {
    const first = alerts.filter((a) => a.afterInjectMs !== undefined).sort((a, b) => (a.afterInjectMs ?? 0) - (b.afterInjectMs ?? 0))[0];
    finding = `The team's alert ${first?.alertname} fired ${formatDurationMs(first?.afterInjectMs ?? 0)} after ${since}${firedrillMs !== null ? `; firedrill's probes saw the first failure ${formatDurationMs(firedrillMs)} after it` : ''}.`;
  }
  return {
    firedrillMs,
    firedrillText: firedrillMs === null ? (injected ? `no failing check after ${since}` : 'nothing injected') : `first failing check ${formatDurationMs(firedrillMs)} after ${since}`,
    alerts: alerts.map((a) => ({
      ...a,
      text: a.firedT === undefined ? 'did not fire' : a.afterInjectMs !== undefined ? `fired ${formatDurationMs(a.afterInjectMs)} after ${since}` : 'fired',
    })),
    finding,
  };
}

function wellBadlyLucky(journal: Journal, rows: readonly ExpectationRow[], detection: string, slo: SloImpact | null): { well: string[]; badly: string[]; lucky: string[] } {
  const well: string[] = [];
  const badly: string[] = [];
  const lucky: string[] = [];
  const name = (r: ExpectationRow) => `${r.phase} ${r.probe} ${r.description}`;
  for (const r of rows) {
    if (r.status === 'held') well.push(`${name(r)} held (${r.actualText}).`);
    else if (r.status === 'near-miss') lucky.push(`${name(r)} held by a thin margin (${r.actualText}; ${r.budgetText}).`);
    else if (r.status === 'missed') badly.push(`${name(r)} was missed (${r.actualText}).`);
    else badly.push(`${name(r)} could not be judged: no data.`);
  }
  const injected = journal.faults.filter((f) => f.injectedT !== undefined);
  const stuck = journal.faults.filter((f) => f.status !== 'reverted' && f.injectedT !== undefined);
  if (injected.length > 0 && stuck.length === 0) well.push(`Every fault was reverted (${injected.length}).`);
  if (stuck.length > 0) badly.push(`${stuck.length} fault(s) were not reverted by firedrill: ${stuck.map((f) => f.label).join(', ')}.`);
  const k = journal.killSwitch;
  if (k.tripped && k.kind === 'probe') well.push(`The kill switch stopped the drill on ${k.condition ?? 'its condition'}${k.reactionMs !== undefined ? ` and every fault was reverted ${formatDurationMs(k.reactionMs)} later` : ''}.`);
  if (/^Nobody's alert fired/.test(detection)) badly.push(detection);
  else if (/^The team's alert/.test(detection)) well.push(detection);
  if (slo && slo.burned >= 0.1) badly.push(`The drill burned ${burnText(slo.burned)} of ${slo.probe}'s ${slo.window} error budget.`);
  return { well, badly, lucky };
}
