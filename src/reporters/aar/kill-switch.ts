/** The kill switch as it fired (or did not): which condition, when, on which samples. */
import type { Journal, KillSwitchRecord } from '../../journal/types.js';
import { sampleView } from './format.js';
import type { KillSwitchFacts } from './model.js';

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
