/**
 * The day's postmortem summary, over every step: impact per step (failed checks and the error
 * budget burned, also added up over the day per SLO), detection per step (the team's alerts next to
 * firedrill's probes; "nobody's alert fired" is a finding of the day), the people with their roles
 * from the plan, what went well, badly and where the team got lucky (the day's own facts, then each
 * step's, then what the team wrote), and every link. Pure: built from the steps' AAR models.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { TeamNotes } from '../../reporters/aar/context.js';
import type { AarModel, ProbeImpact } from '../../reporters/aar/model.js';
import { TEAM_SECTIONS } from '../../reporters/aar/postmortem.js';
import { formatPercent } from '../../values/percent.js';
import type { DayRecord, StepRecord } from '../day-record.js';

export interface DayStepImpact {
  step: string;
  kind: StepRecord['kind'];
  summary: string;
  probes: ProbeImpact[];
  slo: string | null;
}

export interface DayStepDetection {
  step: string;
  firedrillText: string;
  alerts: Array<{ alertname: string; probe: string; text: string }>;
  finding: string;
}

export interface DayListItem {
  /** `day`, or the step's label (`2 checkout-freeze`) */
  from: string;
  text: string;
  /** written by the team in a notes file, not read from the data */
  team: boolean;
}

export interface DayPostmortem {
  impact: { steps: DayStepImpact[]; budgets: string[]; none: string | null };
  detection: { steps: DayStepDetection[]; findings: string[] };
  people: Array<{ name: string; role: string }>;
  wentWell: DayListItem[];
  wentBadly: DayListItem[];
  lucky: DayListItem[];
  links: Array<{ title: string; url: string }>;
}

export interface DayPostmortemStep {
  record: StepRecord;
  label: string;
  aar?: AarModel;
}

export function dayPostmortem(record: DayRecord, steps: readonly DayPostmortemStep[], dayNotes?: TeamNotes): DayPostmortem {
  const ran = steps.filter((s): s is DayPostmortemStep & { aar: AarModel } => s.record.kind !== 'hold' && s.aar !== undefined);

  const impact: DayStepImpact[] = ran.map((s) => ({
    step: s.label,
    kind: s.record.kind,
    summary: s.aar.postmortem.impact.summary,
    probes: s.aar.postmortem.impact.probes.filter((p) => p.checks > 0),
    slo: s.aar.postmortem.impact.slo?.text ?? null,
  }));

  // the budget each SLO lost over the whole day: the steps' outage time added up
  const budgets = new Map<string, { probe: string; objective: string; window: string; budgetMs: number; badMs: number; steps: number }>();
  for (const s of ran) {
    const slo = s.aar.postmortem.impact.slo;
    if (!slo || slo.checks === 0) continue;
    const key = `${slo.probe}\u0000${slo.objective}\u0000${slo.window}`;
    const sum = budgets.get(key) ?? { probe: slo.probe, objective: slo.objective, window: slo.window, budgetMs: slo.budgetMs, badMs: 0, steps: 0 };
    sum.badMs += slo.badMs;
    sum.steps += 1;
    budgets.set(key, sum);
  }
  const budgetLines = [...budgets.values()].map(
    (b) => `${b.probe} (${b.objective} over ${b.window}): about ${formatDurationMs(Math.round(b.badMs))} of full outage over ${b.steps} step(s), ${burnText(b.budgetMs > 0 ? b.badMs / b.budgetMs : 0)} of the error budget (${formatDurationMs(Math.round(b.budgetMs))}).`,
  );

  const detection: DayStepDetection[] = ran.map((s) => ({
    step: s.label,
    firedrillText: s.aar.postmortem.detection.firedrillText,
    alerts: s.aar.postmortem.detection.alerts.map((a) => ({ alertname: a.alertname, probe: a.probe, text: a.text })),
    finding: s.aar.postmortem.detection.finding,
  }));
  const silent = detection.filter((d) => /^Nobody's alert fired/.test(d.finding));
  const unwatched = ran.filter((s) => s.aar.postmortem.detection.alerts.length === 0 && !/^(Rehearsal: )?[Nn]othing was injected/.test(s.aar.postmortem.detection.finding));
  const fired = detection.filter((d) => /^The team's alert/.test(d.finding));
  const findings: string[] = [];
  if (silent.length > 0) findings.push(`Nobody's alert fired in ${silent.length} of ${ran.length} step(s) while firedrill's probes saw failures: ${silent.map((d) => `step ${d.step} (${d.alerts.map((a) => a.alertname).join(', ')})`).join('; ')}.`);
  if (fired.length > 0) findings.push(`The team's alerting noticed in ${fired.length} step(s): ${fired.map((d) => `step ${d.step}`).join(', ')}.`);
  if (unwatched.length > 0) findings.push(`${unwatched.length} step(s) watch none of the team's alerts (no alert probe), so the report cannot say whether the team's alerting noticed: ${unwatched.map((s) => `step ${s.label}`).join(', ')}.`);

  const people = [{ name: record.facilitator.name, role: record.facilitator.role ?? 'facilitator' }, ...record.participants.map((p) => ({ name: p.name, role: p.role ?? 'participant' }))];
  for (const s of ran) {
    for (const p of s.aar.postmortem.people) {
      if (!people.some((q) => q.name === p.name)) people.push({ name: p.name, role: `${p.role} (step ${s.label})` });
    }
  }

  const dayFacts = dayLevelFacts(record, steps);
  const fromSteps = (pick: (a: AarModel) => { fromData: string[]; fromTeam: string[] }): DayListItem[] => [
    ...ran.flatMap((s) => pick(s.aar).fromData.map((text) => ({ from: s.label, text, team: false }))),
    ...ran.flatMap((s) => pick(s.aar).fromTeam.map((text) => ({ from: s.label, text, team: true }))),
  ];
  const team = (re: RegExp): DayListItem[] =>
    (dayNotes?.sections ?? [])
      .filter((sec) => re.test(sec.title.trim()))
      .flatMap((sec) => sec.lines.map((l) => l.replace(/^\s*[-*]\s+/, '')).filter((l) => l.trim() !== ''))
      .map((text) => ({ from: 'day', text, team: true }));

  const links: Array<{ title: string; url: string }> = [...record.links];
  for (const s of ran) for (const l of s.aar.postmortem.links) if (!links.some((m) => m.url === l.url)) links.push(l);

  return {
    impact: {
      steps: impact,
      budgets: budgetLines,
      none: ran.length === 0 ? 'No step ran to the end of its fault window with a journal, so there is no impact to tell.' : null,
    },
    detection: { steps: detection, findings },
    people,
    wentWell: [...dayFacts.well, ...fromSteps((a) => a.postmortem.wentWell), ...team(TEAM_SECTIONS.wentWell)],
    wentBadly: [...dayFacts.badly, ...fromSteps((a) => a.postmortem.wentBadly), ...team(TEAM_SECTIONS.wentBadly)],
    lucky: [...dayFacts.lucky, ...fromSteps((a) => a.postmortem.lucky), ...team(TEAM_SECTIONS.lucky)],
    links,
  };
}

/** What the day record itself says: the day kill switch, steps that did not run, steps that could not revert. */
function dayLevelFacts(record: DayRecord, steps: readonly DayPostmortemStep[]): { well: DayListItem[]; badly: DayListItem[]; lucky: DayListItem[] } {
  const well: DayListItem[] = [];
  const badly: DayListItem[] = [];
  const lucky: DayListItem[] = [];
  const day = (text: string): DayListItem => ({ from: 'day', text, team: false });
  const work = steps.filter((s) => s.record.kind !== 'hold');
  const k = record.killSwitch;
  if (k.tripped && k.kind !== 'operator') badly.push(day(`The day kill switch stopped the day${k.at ? ` at ${k.at.slice(11, 19)}` : ''}: ${k.condition ?? k.kind ?? ''}${k.reason ? `: ${k.reason}` : ''}.`));
  if (k.wouldHaveTripped) badly.push(day(`On the undisturbed system the day kill switch would have tripped (${k.wouldHaveTripped.condition}: ${k.wouldHaveTripped.reason}): fix the day's probes or thresholds before the day.`));
  const notRun = work.filter((s) => s.record.status === 'pending');
  if (notRun.length > 0) badly.push(day(`${notRun.length} step(s) did not run: ${notRun.map((s) => s.label).join(', ')}.`));
  const stuck = work.filter((s) => s.record.status === 'revert-failed' || s.record.status === 'crashed');
  if (stuck.length > 0) badly.push(day(`${stuck.map((s) => `step ${s.label}`).join(', ')} could not revert everything: check the targets before anything else.`));
  const passed = work.filter((s) => s.record.status === 'passed' || s.record.status === 'done');
  if (work.length > 0 && passed.length === work.length) well.push(day(`Every step passed (${passed.length}).`));
  else if (passed.length > 0) well.push(day(`${passed.length} of ${work.length} step(s) passed: ${passed.map((s) => s.label).join(', ')}.`));
  const drills = work.filter((s) => s.record.kind === 'drill' && s.aar && s.record.status !== 'pending' && s.record.status !== 'skipped');
  if (drills.length > 0 && stuck.length === 0 && !record.rehearsal) well.push(day(`Every drill that ran reverted all its faults (${drills.length}).`));
  const nearMisses = work.reduce((n, s) => n + (s.aar?.facts.expectations.filter((e) => e.status === 'near-miss').length ?? 0), 0);
  if (nearMisses > 1) lucky.push(day(`${nearMisses} expectations over the day held by a thin margin (listed per step below).`));
  return { well, badly, lucky };
}

function burnText(share: number): string {
  if (share === 0) return '0%';
  if (share < 0.0001) return 'less than 0.01%';
  return formatPercent(share);
}
