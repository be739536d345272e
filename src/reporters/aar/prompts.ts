/**
 * Prompts for the team: what the data cannot show (planning, execution, outside factors) and
 * what to change next time. Worded about conditions and systems, never about people.
 */
import type { Journal } from '../../journal/types.js';
import { firstInjectedT, unrevertedFaults } from './faults.js';
import type { ExpectationRow, Observation } from './model.js';
import { schedulingLags } from './sample-gaps.js';
import { formatDurationMs } from '../../drill/duration.js';
import { formatRelative } from '../../values/relative-time.js';

/** Lagging probes named one by one up to this many; more are counted. */
const LAGS_NAMED = 3;

/** Questions for "Why were there differences?" beyond what the tool measured. */
export function whyPrompts(journal: Journal, seen: readonly Observation[]): string[] {
  const prompts = [
    'Planning: did the hypothesis and its limits say what users actually need, and what the team believed before the run?',
    'Execution: did the drill run as planned (targets, timings, probes)? Does anything in the timeline differ from what was expected?',
    'Outside factors: was anything else going on for this system or its dependencies during the run (deploys, load, other drills, host trouble)?',
  ];
  if (journal.killSwitch.tripped) prompts.push('Was the kill-switch condition right for this system: did it fire too early, too late, or in time?');
  if (seen.some((o) => o.kind === 'no-effect')) prompts.push('Do the probes watch the path this fault affects, or did a fallback absorb it? Which one?');
  const lag = lagNote(journal);
  if (lag) prompts.push(lag);
  if (seen.some((o) => o.kind === 'samples-missing')) prompts.push('Why are samples missing: was the probing host, the network or the probe itself under strain?');
  return prompts;
}

/** When probe scheduling lagged, the measured gaps: what happened between those checks is not measured. */
function lagNote(journal: Journal): string | undefined {
  const lags = schedulingLags(journal);
  const worst = lags[0];
  if (!worst) return undefined;
  const named = lags
    .slice(0, LAGS_NAMED)
    .map((l) => `${l.probe} (every ${formatDurationMs(l.intervalMs)}; ${l.count}× more than twice that, up to ${formatDurationMs(l.worstGapMs)} at ${formatRelative(l.worstT)})`);
  const more = lags.length > LAGS_NAMED ? ` and ${lags.length - LAGS_NAMED} more probes` : '';
  return (
    `Probe scheduling lagged: checks started further apart than planned although each check was quick: ${named.join(', ')}${more}. ` +
    'The runner or its host was busy; what happened between those checks is not measured, and short failures there may be missing.'
  );
}

/** Prompts for "What do we do differently next time?", most urgent first. */
export function nextPrompts(journal: Journal, rows: readonly ExpectationRow[]): string[] {
  const prompts: string[] = [];
  for (const f of unrevertedFaults(journal)) {
    prompts.push(`Make the revert of "${f.label}" reliable before the next run, and rehearse the manual fix.`);
  }
  if (rows.some((r) => r.phase === 'baseline' && !r.ok)) prompts.push('Restore a healthy steady state before the next run; the baseline did not hold this time.');
  if (journal.killSwitch.tripped) prompts.push('What must change (in the system or in the drill) so the next run ends by plan rather than by the kill switch?');
  for (const r of rows.filter((x) => !x.ok)) {
    prompts.push(`What change would make "${r.probe} ${r.description}" hold in the ${r.phase} phase? Record it as an action with an owner and a date.`);
  }
  for (const r of rows.filter((x) => x.status === 'near-miss')) {
    prompts.push(`"${r.probe} ${r.description}" held with only ${r.budgetText}: is that margin enough, or should the system (or the limit) change?`);
  }
  const passed = journal.outcome.verdict === 'passed';
  if (passed && firstInjectedT(journal) !== undefined && !rows.some((r) => r.status === 'near-miss')) {
    prompts.push('The hypothesis held with room to spare: raise the stakes next time (a longer or stronger fault, more instances, another failure mode)?');
  }
  prompts.push('Which action items from earlier runs of this drill are done, and which carry over?');
  prompts.push('What should the next run change, so that it is an iteration and not a repetition?');
  return prompts;
}
