/** Decides the verdict and exit code of a run from what happened. Pure. */
import type { ExpectationResult, FaultRecord, Journal, KillSwitchRecord, Verdict } from '../journal/types.js';

export const EXIT = {
  passed: 0,
  failed: 1,
  invalid: 2,
  aborted: 3,
  refused: 4,
  'revert-failed': 5,
  'inject-failed': 6,
  error: 70,
  crashed: 70,
} as const satisfies Record<Verdict, number>;

export interface OutcomeInput {
  refused?: string;
  internalError?: string;
  killSwitch: KillSwitchRecord;
  faults: readonly FaultRecord[];
  expectations: readonly ExpectationResult[];
}

/** Highest priority first: a fault left behind outranks everything. */
export function decideOutcome(input: OutcomeInput): Journal['outcome'] {
  const stuck = input.faults.filter((f) => f.status === 'revert-failed' || f.status === 'injected');
  if (stuck.length > 0) {
    const list = stuck.map((f) => `${f.label}${f.error ? ` (${f.error})` : ''}`).join('; ');
    return { verdict: 'revert-failed', exitCode: EXIT['revert-failed'], reason: `REVERT INCOMPLETE — may still be in place: ${list}` };
  }
  if (input.internalError) return { verdict: 'error', exitCode: EXIT.error, reason: `internal error: ${input.internalError}; every fault was reverted` };
  if (input.refused) return { verdict: 'refused', exitCode: EXIT.refused, reason: `${input.refused}; nothing was injected` };
  const ks = input.killSwitch;
  if (ks.tripped && ks.kind === 'inject-failed') {
    // the fault never (fully) took hold: the hypothesis was not tested, and nobody tripped anything
    const failed = input.faults.filter((f) => f.status === 'inject-failed');
    const what = failed.map((f) => `${f.label}${f.error ? `: ${f.error}` : ''}`).join('; ') || ks.reason || 'a fault';
    return {
      verdict: 'inject-failed',
      exitCode: EXIT['inject-failed'],
      reason: `injection failed, the hypothesis was not tested: could not inject ${what}; everything injected was reverted`,
    };
  }
  if (ks.tripped) {
    const injected = input.faults.some((f) => f.injectedT !== undefined);
    return {
      verdict: 'aborted',
      exitCode: EXIT.aborted,
      reason: `aborted by ${ks.kind === 'operator' ? 'the operator' : `the kill switch (${ks.condition})`}${injected ? '; every fault was reverted' : '; nothing was injected'}`,
    };
  }
  const failed = input.expectations.filter((e) => !e.ok);
  if (failed.length > 0) {
    return {
      verdict: 'failed',
      exitCode: EXIT.failed,
      reason: `hypothesis violated: ${failed.length} of ${input.expectations.length} expectations missed (${failed.map((e) => `${e.phase} ${e.probe} ${e.description}`).join('; ')}); every fault was reverted`,
    };
  }
  return {
    verdict: 'passed',
    exitCode: EXIT.passed,
    reason: input.expectations.length > 0 ? `all ${input.expectations.length} expectations held; every fault was reverted` : 'no expectations were declared; every fault was reverted',
  };
}
