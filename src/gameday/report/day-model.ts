/**
 * The day report's model: the day record plus each step's journal and AAR model (read from the
 * step folders), every action item and open question from all steps, and one day timeline that
 * merges the day's events with the steps' key moments. Pure given what was read.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Journal } from '../../journal/types.js';
import type { TeamNotes } from '../../reporters/aar/context.js';
import { buildAar } from '../../reporters/aar/build.js';
import type { AarModel } from '../../reporters/aar/model.js';
import type { DayRecord, StepRecord } from '../day-record.js';
import { dayPostmortem, type DayPostmortem } from './day-postmortem.js';

export interface DayStepRow {
  record: StepRecord;
  /** 1-based */
  number: number;
  /** links relative to the day folder */
  links?: { markdown: string; html: string; journal: string };
  aar?: AarModel;
  durationText: string;
  expectations: { total: number; missed: number; nearMiss: number };
  /** the step's verdict in one line */
  verdictText: string;
}

export interface DayTimelineRow {
  at: string;
  step?: number;
  kind: string;
  text: string;
  author?: string;
  source?: string;
}

export interface DayActionRow {
  step: string;
  text: string;
  owner?: string;
  due?: string;
  done: boolean;
}

export interface DayReportModel {
  record: DayRecord;
  steps: DayStepRow[];
  timeline: DayTimelineRow[];
  actions: DayActionRow[];
  /** the AARs' questions for next time, per step */
  prompts: Array<{ step: string; text: string }>;
  durationText: string;
  /** impact, detection, people, went well / badly / lucky and links over the whole day */
  postmortem: DayPostmortem;
}

export interface StepInput {
  journal?: Journal;
  notes?: TeamNotes;
}

const KEY_EVENTS = new Set(['inject', 'inject-failed', 'revert', 'revert-failed', 'kill-switch', 'abort', 'recovered', 'rehearsal']);

/** A step's expectations in words: `3/4 held, 1 near miss`, or why there are none (never an empty placeholder). */
export function expectationsText(s: DayStepRow): string {
  if (s.expectations.total) return `${s.expectations.total - s.expectations.missed}/${s.expectations.total} held${s.expectations.nearMiss ? `, ${s.expectations.nearMiss} near miss` : ''}`;
  if (s.record.kind === 'hold') return 'none (a hold)';
  return s.aar ? 'none declared' : 'not judged';
}

/** What stands in the report column of a step without an AAR. */
export function noReport(kind: StepRecord['kind']): string {
  return kind === 'hold' ? 'no report (a hold)' : 'no report (did not run)';
}

/** The day kill switch in a few words; a rehearsal's says what it would have done. */
export function dayKillSwitchText(k: DayRecord['killSwitch'], rehearsal: boolean): string {
  if (k.tripped) return `tripped at ${k.at ?? '?'}: ${k.condition ?? k.kind ?? ''}: ${k.reason ?? ''}`;
  const w = k.wouldHaveTripped;
  if (w) return `would have tripped at ${w.at}${w.step !== undefined ? ` (step ${w.step + 1})` : ''}: ${w.condition}: ${w.reason} (rehearsal: not acted on)`;
  return rehearsal ? 'would not have tripped (rehearsal)' : 'did not trip';
}

export function buildDayModel(record: DayRecord, inputs: ReadonlyMap<number, StepInput>, options: { nearMissShare?: number; dayNotes?: TeamNotes } = {}): DayReportModel {
  const steps: DayStepRow[] = record.steps.map((sr) => {
    const input = inputs.get(sr.index);
    const aar = input?.journal ? buildAar(input.journal, { ...(options.nearMissShare === undefined ? {} : { nearMissShare: options.nearMissShare }), ...(input.notes ? { notes: input.notes } : {}) }) : undefined;
    const rows = aar?.facts.expectations ?? [];
    const started = sr.startedAt ? Date.parse(sr.startedAt) : undefined;
    const ended = sr.endedAt ? Date.parse(sr.endedAt) : undefined;
    return {
      record: sr,
      number: sr.index + 1,
      ...(sr.runDir ? { links: { markdown: `${sr.runDir}/report.md`, html: `${sr.runDir}/report.html`, journal: `${sr.runDir}/journal.json` } } : {}),
      ...(aar ? { aar } : {}),
      durationText: started !== undefined && ended !== undefined ? formatDurationMs(ended - started) : sr.status === 'pending' || sr.status === 'skipped' ? 'not run' : 'not recorded',
      expectations: { total: rows.length, missed: rows.filter((r) => !r.ok).length, nearMiss: rows.filter((r) => r.status === 'near-miss').length },
      verdictText: stepVerdictText(sr),
    };
  });

  const timeline: DayTimelineRow[] = record.timeline.map((e) => ({
    at: e.at,
    ...(e.step !== undefined ? { step: e.step + 1 } : {}),
    kind: e.type,
    text: e.message,
    ...(e.author ? { author: e.author } : {}),
    ...(e.source ? { source: e.source } : {}),
  }));
  for (const [index, input] of inputs) {
    const j = input.journal;
    if (!j) continue;
    const t0 = Date.parse(j.startedAt);
    for (const e of j.events) {
      if (!KEY_EVENTS.has(e.type)) continue;
      timeline.push({ at: new Date(t0 + e.t).toISOString(), step: index + 1, kind: e.type, text: e.message });
    }
  }
  // stable: equal times keep the day's own order (notes in the order they arrived)
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const actions: DayActionRow[] = [];
  for (const a of options.dayNotes?.actions ?? []) actions.push({ step: 'day', text: a.text, ...(a.owner ? { owner: a.owner } : {}), ...(a.due ? { due: a.due } : {}), done: a.done });
  const prompts: Array<{ step: string; text: string }> = [];
  for (const s of steps) {
    const label = `${s.number} ${s.record.name}`;
    for (const a of s.aar?.next.actions ?? []) actions.push({ step: label, text: a.text, ...(a.owner ? { owner: a.owner } : {}), ...(a.due ? { due: a.due } : {}), done: a.done });
    for (const p of s.aar?.next.prompts ?? []) prompts.push({ step: label, text: p });
  }
  const postmortem = dayPostmortem(
    record,
    steps.map((s) => ({ record: s.record, label: `${s.number} ${s.record.name}`, ...(s.aar ? { aar: s.aar } : {}) })),
    options.dayNotes,
  );
  const first = record.sessions[0]?.startedAt;
  const active = record.sessions.reduce((sum, s) => sum + (s.activeMs ?? 0), 0);
  return {
    record,
    steps,
    timeline,
    actions,
    prompts,
    postmortem,
    durationText: `${formatDurationMs(active)} active${record.sessions.length > 1 ? ` over ${record.sessions.length} sessions` : ''}${first ? `, started ${first}` : ''}`,
  };
}

function stepVerdictText(sr: StepRecord): string {
  if (sr.kind === 'hold') return sr.status === 'done' ? 'held' : sr.status;
  if (sr.status === 'pending') return 'not run: the day stopped before it';
  if (sr.status === 'skipped') return sr.reason ?? 'skipped';
  return `${sr.status}${sr.exitCode !== undefined ? ` (exit ${sr.exitCode})` : ''}${sr.reason ? `: ${sr.reason}` : ''}`;
}
