/**
 * The timeline: run start, phases, each fault in and out with durations, the kill switch, the
 * first failing sample, recovery, run end. Faults and phases come from their records (which carry
 * the durations); everything else from the events, with gaps filled from the records where the
 * journal has no event for them.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Journal, JournalEvent } from '../../journal/types.js';
import { firstInjectedT, lastRevertedT } from './faults.js';
import { plural, sampleView } from './format.js';
import { describeTrip } from './kill-switch.js';
import type { TimelineEntry, TimelineKind } from './model.js';
import { firstFailures } from './onset.js';
import { clockAt, formatRelative } from '../../values/relative-time.js';

/**
 * Where entries at the same moment go: the run opens first and closes last, and what ends a phase
 * (a revert, the kill switch) comes before the phase it opens.
 */
const TIE_ORDER: Partial<Record<TimelineKind, number>> = { 'run-start': -3, 'kill-switch': -2, revert: -2, 'revert-failed': -2, phase: -1, 'run-end': 3 };

/** Every moment of the run in order of time. */
export function timeline(journal: Journal): TimelineEntry[] {
  const draft: Array<Omit<TimelineEntry, 'at' | 'clock'>> = [];
  const faultEvents = new Set<JournalEvent['type']>(['inject', 'inject-failed', 'revert', 'revert-failed']);
  const fromRecords = journal.faults.length > 0;
  for (const e of journal.events) {
    if (e.type === 'phase-start' || e.type === 'phase-end') continue;
    // a fault's own events are told from its record; others (a host's lease released) stay
    if (fromRecords && faultEvents.has(e.type) && standsForRecord(journal, e)) continue;
    const entry: Omit<TimelineEntry, 'at' | 'clock'> = { t: e.t, kind: e.type, text: e.message, derived: false };
    if (e.phase !== undefined) entry.phase = e.phase;
    draft.push(entry);
  }
  const has = (kind: TimelineKind) => draft.some((d) => d.kind === kind);
  if (!has('run-start')) draft.push({ t: 0, kind: 'run-start', text: `run ${journal.runId} started`, derived: false });
  for (const p of journal.phases) {
    const actual = p.endT === undefined ? undefined : p.endT - p.startT;
    const cut = actual !== undefined && p.plannedMs > 0 && actual < p.plannedMs - 1000 ? ' (cut short)' : '';
    draft.push({
      t: p.startT,
      kind: 'phase',
      phase: p.name,
      text: `${p.name} phase: ${actual === undefined ? 'did not end' : formatDurationMs(actual)} of ${formatDurationMs(p.plannedMs)} planned${cut}`,
      ...(actual === undefined ? {} : { durationMs: actual }),
      derived: false,
    });
  }
  draft.push(...faultEntries(journal, fromRecords ? journal.events.filter((e) => faultEvents.has(e.type)) : []));
  draft.push(...firstFailureEntry(journal));
  const k = journal.killSwitch;
  if (k.tripped && k.t !== undefined && !has('kill-switch')) {
    draft.push({ t: k.t, kind: 'kill-switch', text: `kill switch fired on ${describeTrip(k)}`, derived: false });
  }
  const reverted = lastRevertedT(journal);
  if (!has('recovered') && reverted !== undefined && journal.metrics.timeToRecoverMs !== null) {
    draft.push({
      t: reverted + journal.metrics.timeToRecoverMs,
      kind: 'recovered',
      text: `recovered: every probe healthy again, ${formatDurationMs(journal.metrics.timeToRecoverMs)} after the last revert`,
      derived: true,
    });
  }
  if (!has('run-end') && journal.durationMs !== undefined) {
    draft.push({ t: journal.durationMs, kind: 'run-end', text: `run ended: ${journal.outcome.verdict} (exit ${journal.outcome.exitCode})`, derived: false });
  }
  return draft
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.t - b.d.t || (TIE_ORDER[a.d.kind] ?? 0) - (TIE_ORDER[b.d.kind] ?? 0) || a.i - b.i)
    .map(({ d }) => ({ ...d, at: formatRelative(d.t), clock: clockAt(journal.startedAt, d.t) }));
}

/**
 * Whether a fault event is told by the fault records: it names a recorded fault, or it is the note
 * at a recorded inject or revert. Others (a host's lease released after the revert) stay as lines.
 */
function standsForRecord(journal: Journal, e: JournalEvent): boolean {
  const fault = e.data?.fault;
  if (typeof fault === 'string' && journal.faults.some((f) => f.id === fault)) return true;
  return journal.faults.some((f) => e.t === f.injectedT || e.t === f.revertedT || e.t === f.revertStartT || e.t === f.plannedStartT);
}

/**
 * What the runner said at that moment about that fault, when it adds to the record (e.g. `restarted
 * as pid 5187`, `by the dead-man switch`). The runner's own wording restates the record ("injected
 * X", "reverted X after 20s (undo took 3ms)"): that part is dropped, so a line never repeats itself.
 */
export function eventNote(events: readonly JournalEvent[], type: JournalEvent['type'], t: number | undefined, label: string, verb: string): string {
  const e = events.find((x) => x.type === type && x.t === t);
  if (!e) return '';
  let rest = e.message;
  for (const restated of [`${verb} ${label}`, label]) {
    if (rest.startsWith(restated)) {
      rest = rest.slice(restated.length);
      break;
    }
  }
  rest = rest
    .replace(/^ after \S+(?= |$)/, '')
    .replace(/ ?\(undo took [^)]*\)/, '')
    .trim();
  const inner = /^\((.*)\)$/.exec(rest)?.[1];
  rest = (inner ?? rest).trim();
  return rest ? ` — ${rest}` : '';
}

function faultEntries(journal: Journal, events: readonly JournalEvent[]): Array<Omit<TimelineEntry, 'at' | 'clock'>> {
  const out: Array<Omit<TimelineEntry, 'at' | 'clock'>> = [];
  for (const f of journal.faults) {
    if (f.injectedT !== undefined) {
      out.push({ t: f.injectedT, kind: 'inject', phase: 'fault', text: `injected: ${f.label} (planned for ${formatDurationMs(f.plannedDurationMs)})${eventNote(events, 'inject', f.injectedT, f.label, 'injected')}`, derived: false });
    }
    if (f.status === 'inject-failed') {
      out.push({ t: f.injectedT ?? f.plannedStartT, kind: 'inject-failed', text: `could not inject: ${f.label}${f.error ? `: ${f.error}` : ''}`, derived: false });
    }
    if (f.revertedT !== undefined) {
      const inPlace = f.injectedT === undefined ? '' : ` after ${formatDurationMs(f.revertedT - f.injectedT)} in place`;
      const took = f.revertStartT === undefined ? '' : `; revert took ${formatDurationMs(f.revertedT - f.revertStartT)}, ${plural(f.revertAttempts, 'attempt')}`;
      out.push({
        t: f.revertedT,
        kind: 'revert',
        text: `reverted: ${f.label}${inPlace}${took}${eventNote(events, 'revert', f.revertedT, f.label, 'reverted')}`,
        ...(f.revertStartT === undefined ? {} : { durationMs: f.revertedT - f.revertStartT }),
        derived: false,
      });
    } else if (f.status === 'revert-failed') {
      out.push({
        t: f.revertStartT ?? f.injectedT ?? f.plannedStartT,
        kind: 'revert-failed',
        text: `REVERT FAILED: ${f.label} after ${plural(f.revertAttempts, 'attempt')}${f.error ? `: ${f.error}` : ''}`,
        derived: false,
      });
    }
  }
  return out;
}

function firstFailureEntry(journal: Journal): Array<Omit<TimelineEntry, 'at' | 'clock'>> {
  const injectedT = firstInjectedT(journal);
  if (injectedT === undefined) return [];
  const first = firstFailures(journal, injectedT)[0];
  if (!first) return [];
  return [
    {
      t: first.sample.t,
      kind: 'first-failure',
      phase: first.sample.phase,
      text: `first failing sample, ${formatDurationMs(first.afterInjectMs)} after injection: ${first.probe} ${sampleView(first.sample).text}`,
      derived: true,
    },
  ];
}
