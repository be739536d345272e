/** The safe-to-fail checklist, answered from the journal wherever the data can answer it. */
import { formatDurationMs } from '../../drill/duration.js';
import type { Journal } from '../../journal/types.js';
import { actedFaults } from './blast-radius.js';
import { unrevertedFaults } from './faults.js';
import { plural } from './format.js';
import type { ActionRow, BlastRadiusFacts, ChecklistItem, LearningSection, Observation } from './model.js';
import type { TeamNotes } from './context.js';
import { formatPercent } from '../../values/percent.js';

/** Cost, containment, feedback, revert, iteration and lesson, in that order. */
export function checklist(
  journal: Journal,
  blast: BlastRadiusFacts,
  seen: readonly Observation[],
  learning: LearningSection,
  notes: TeamNotes | undefined,
  actions: readonly ActionRow[],
): ChecklistItem[] {
  return [cost(journal), contained(blast), feedback(journal, seen), reverted(journal), iteration(learning), lesson(notes, actions)];
}

function cost(journal: Journal): ChecklistItem {
  const spec = journal.drill.spec;
  const envOk = spec.environments.includes(journal.environment);
  const maxMs = spec.blastRadius.maxDuration;
  const within = journal.durationMs === undefined || journal.durationMs <= maxMs;
  const share = spec.blastRadius.trafficShare === undefined ? '' : `; proxy faults limited to ${formatPercent(spec.blastRadius.trafficShare)} of traffic`;
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
  if (ttd !== null) parts.push(`time to detect ${formatDurationMs(ttd)} (first fault to the end of the first failing check, when the failure was known)`);
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

function iteration(learning: LearningSection): ChecklistItem {
  const question = 'Are we changing something each attempt?';
  if (!learning.previous) {
    return { id: 'iteration', question, answer: 'unknown', detail: 'no earlier run of this drill was found in the report directory, so there is nothing to compare with.' };
  }
  if (learning.repetition) return { id: 'iteration', question, answer: 'no', detail: `repetition, not iteration: ${learning.repetition}` };
  const changed = learning.changes.filter((c) => c.changed);
  if (changed.length === 0) {
    return {
      id: 'iteration',
      question,
      answer: 'partly',
      detail: `nothing firedrill can see changed since run ${learning.previous.runId} (drill file, targets, environment); the run repeats it as a check.`,
    };
  }
  return { id: 'iteration', question, answer: 'yes', detail: `since run ${learning.previous.runId}: ${changed.map((c) => c.text.replace(/\.$/, '')).join('; ')}.` };
}

function lesson(notes: TeamNotes | undefined, actions: readonly ActionRow[]): ChecklistItem {
  const question = 'Are we capturing what we learn?';
  const open = actions.filter((a) => !a.done);
  const carried = open.filter((a) => a.carriedFrom !== undefined).length;
  const carry = carried > 0 ? `; ${plural(carried, 'open action item')} carried over from earlier runs` : '';
  if (notes) {
    return {
      id: 'lesson',
      question,
      answer: 'yes',
      detail: `the team's notes are merged into this report: ${plural(notes.actions.length, 'action item')}, ${plural(notes.whys.length, '5 Whys chain')}, ${plural(notes.premortem.filter((p) => p.happened !== null).length, 'pre-mortem item')} marked${carry}.`,
    };
  }
  return {
    id: 'lesson',
    question,
    answer: 'team',
    detail: `this report records the run; add the team's findings (5 Whys, action items with owners and dates) as notes and merge them in (firedrill report --notes)${carry}.`,
  };
}
