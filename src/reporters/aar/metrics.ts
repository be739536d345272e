/** Time to detect, time to recover, revert time and kill-switch reaction, as the run recorded them. */
import type { Journal } from '../../journal/types.js';
import { durationOrDash } from './format.js';
import type { MetricsFacts } from './model.js';

/** The run's timing figures, with the text every format prints for them. */
export function metricsFacts(journal: Journal): MetricsFacts {
  const m = journal.metrics;
  const reaction = journal.killSwitch.tripped ? (journal.killSwitch.reactionMs ?? null) : null;
  const injected = journal.faults.some((f) => f.injectedT !== undefined);
  return {
    timeToDetectMs: m.timeToDetectMs,
    timeToRecoverMs: m.timeToRecoverMs,
    revertDurationMs: m.revertDurationMs,
    killSwitchReactionMs: reaction,
    timeToDetectText: m.timeToDetectMs === null ? (injected ? 'no failing sample after injection' : 'nothing injected') : `${durationOrDash(m.timeToDetectMs)} (injection to the end of the first failing check)`,
    timeToRecoverText: m.timeToRecoverMs === null ? recoverGap(journal) : durationOrDash(m.timeToRecoverMs),
    revertDurationText: durationOrDash(m.revertDurationMs),
    killSwitchReactionText: journal.killSwitch.tripped ? durationOrDash(reaction) : 'not tripped',
  };
}

function recoverGap(journal: Journal): string {
  if (!journal.faults.some((f) => f.injectedT !== undefined)) return 'nothing injected';
  if (journal.faults.some((f) => f.status === 'revert-failed')) return 'not recovered: a revert failed';
  return 'no recovery observed';
}
