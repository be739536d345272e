/** The kill switch as it fired (or did not): which condition, when, on which samples. */
import type { Journal, KillSwitchRecord } from '../../journal/types.js';
import { formatRelative } from '../../values/relative-time.js';
import { sampleView } from './format.js';
import type { AarModel, KillSwitchFacts, RehearsalFacts } from './model.js';

/** The kill-switch record with its samples ready to show. */
export function killSwitchFacts(journal: Journal): KillSwitchFacts {
  const k = journal.killSwitch;
  const facts: KillSwitchFacts = { tripped: k.tripped, samples: (k.samples ?? []).map(sampleView) };
  if (k.t !== undefined) facts.t = k.t;
  if (k.kind !== undefined) facts.kind = k.kind;
  if (k.condition !== undefined) facts.condition = k.condition;
  if (k.reason !== undefined) facts.reason = k.reason;
  if (k.reactionMs !== undefined) facts.reactionMs = k.reactionMs;
  return facts;
}

/** A rehearsal's record: nothing injected, and the kill switch's decision it only recorded. */
export function rehearsalFacts(journal: Journal): RehearsalFacts | null {
  const r = journal.rehearsal;
  if (!r) return null;
  const k = r.killSwitch;
  return {
    notInjected: [...r.notInjected],
    ...(k && k.t !== undefined
      ? { wouldHaveTripped: { t: k.t, at: formatRelative(k.t), ...(k.condition ? { condition: k.condition } : {}), ...(k.reason ? { reason: k.reason } : {}), samples: (k.samples ?? []).map(sampleView) } }
      : {}),
  };
}

/** What fired, in words: the probe condition as written, or the always-on safeguard. */
export function describeTrip(k: KillSwitchRecord): string {
  const condition = k.condition ? `"${k.condition}"` : undefined;
  switch (k.kind) {
    case 'probe':
      return condition ?? 'a probe condition';
    case 'max-duration':
      return condition ?? 'the maxDuration cap';
    case 'operator':
      return 'an operator stop (Ctrl-C / SIGTERM)';
    case 'stop-file':
      return 'the stop file';
    case 'no-data':
      return condition ? `no probe data: ${condition}` : 'no probe data for too many intervals';
    case 'inject-failed':
      return 'a fault that could not be injected';
    case 'metrics-unreachable':
      return condition ? `a metrics source out of reach: ${condition}` : 'a metrics source out of reach for longer than its grace period';
    default:
      return condition ?? k.reason ?? 'an unrecorded condition';
  }
}

/** The kill switch in a few words; a rehearsal's says what it would have done. */
export function killSwitchFigure(model: AarModel): string {
  const k = model.facts.killSwitch;
  if (k.tripped) return `tripped: ${k.condition ?? k.kind ?? 'unknown condition'}`;
  const would = model.rehearsal?.wouldHaveTripped;
  if (model.rehearsal) return would ? `would have tripped at ${would.at}: ${would.condition ?? would.reason ?? 'a condition'} (rehearsal: not acted on)` : 'would not have tripped (rehearsal)';
  return 'not tripped';
}
