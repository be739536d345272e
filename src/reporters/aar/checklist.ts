/** The safe-to-fail checklist, answered from the journal wherever the data can answer it. */
import { formatDurationMs } from '../../drill/duration.js';
import type { Journal } from '../../journal/types.js';
import { actedFaults } from './blast-radius.js';
import { unrevertedFaults } from './faults.js';
import { formatShare, plural } from './format.js';
import type { BlastRadiusFacts, ChecklistItem, Observation } from './model.js';

/** Cost, containment, feedback, revert and lesson, in that order. */
export function checklist(journal: Journal, blast: BlastRadiusFacts, seen: readonly Observation[]): ChecklistItem[] {
  return [cost(journal), contained(blast), feedback(journal, seen), reverted(journal), lesson()];
}

function cost(journal: Journal): ChecklistItem {
  const spec = journal.drill.spec;
  const envOk = spec.environments.includes(journal.environment);
  const maxMs = spec.blastRadius.maxDuration;
  const within = journal.durationMs === undefined || journal.durationMs <= maxMs;
  const share = spec.blastRadius.trafficShare === undefined ? '' : `; proxy faults limited to ${formatShare(spec.blastRadius.trafficShare)} of traffic`;
  const took = journal.durationMs === undefined ? 'duration not recorded' : `the run took ${formatDurationMs(journal.durationMs)} of its ${formatDurationMs(maxMs)} cap`;
  return {
    id: 'cost',
    question: 'Is the cost of failure acceptable?',
    answer: envOk && within ? 'yes' : 'no',
    detail: `environment "${journal.environment}" (${envOk ? 'allowed' : 'NOT in'} ${spec.environments.join(', ')}); ${took}${share}.`,
  };
}

function contained(blast: BlastRadiusFacts): ChecklistItem {
  return {
    id: 'contained',
    question: 'Was the failure contained?',
    answer: blast.contained ? 'yes' : 'no',
    detail: blast.contained ? blast.summary : `${blast.summary} ${blast.outside.map((o) => `${o.label}: ${o.why}`).join('; ')}.`,
  };
}

function feedback(journal: Journal, seen: readonly Observation[]): ChecklistItem {
  const question = 'Was there fast feedback?';
  const ttd = journal.metrics.timeToDetectMs;
  const reaction = journal.killSwitch.tripped ? journal.killSwitch.reactionMs : undefined;
  const gaps = seen.filter((o) => o.kind === 'samples-missing').length;
  const parts: string[] = [];
  if (ttd !== null) parts.push(`time to detect ${formatDurationMs(ttd)} (first fault to first failing sample)`);
  if (reaction !== undefined) parts.push(`kill switch reverted everything ${formatDurationMs(reaction)} after it fired`);
  if (gaps > 0) parts.push(`${plural(gaps, 'gap')} in the probe data`);
  if (actedFaults(journal).length === 0) return { id: 'feedback', question, answer: 'unknown', detail: 'nothing was injected, so detection was not exercised.' };
  if (ttd === null && reaction === undefined) {
    return {
      id: 'feedback',
      question,
      answer: gaps > 0 ? 'partly' : 'unknown',
      detail: `no probe failed after injection, so detection was not exercised${parts.length > 0 ? `; ${parts.join('; ')}` : ''}.`,
    };
  }
  return { id: 'feedback', question, answer: gaps > 0 ? 'partly' : 'yes', detail: `${parts.join('; ')}.` };
}

function reverted(journal: Journal): ChecklistItem {
  const question = 'Could we revert?';
  const acted = actedFaults(journal);
  const open = unrevertedFaults(journal);
  if (acted.length === 0) return { id: 'reverted', question, answer: 'yes', detail: 'nothing was injected, nothing needed reverting.' };
  if (open.length > 0) {
    return {
      id: 'reverted',
      question,
      answer: 'no',
      detail: `NOT REVERTED: ${open.map((f) => `"${f.label}"${f.error ? ` (${f.error})` : ''}`).join('; ')}. Fix by hand as shown at the top of this report.`,
    };
  }
  const reverts = acted.flatMap((f) => (f.revertedT !== undefined && f.revertStartT !== undefined ? [f.revertedT - f.revertStartT] : []));
  const slowest = reverts.length > 0 ? `; the slowest revert took ${formatDurationMs(Math.max(...reverts))}` : '';
  const from = journal.killSwitch.tripped ? 'the kill switch fired' : 'the planned end of the fault';
  const total = journal.metrics.revertDurationMs === null ? '' : `; everything undone ${formatDurationMs(journal.metrics.revertDurationMs)} after ${from}`;
  return { id: 'reverted', question, answer: 'yes', detail: `${acted.length} of ${plural(acted.length, 'fault')} reverted${slowest}${total}.` };
}

function lesson(): ChecklistItem {
  return {
    id: 'lesson',
    question: 'Are we capturing what we learn?',
    answer: 'team',
    detail: 'this report records the run; add the team\'s findings (5 Whys, action items with owners and dates) and keep them with it.',
  };
}
