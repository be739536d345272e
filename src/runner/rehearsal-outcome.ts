/**
 * The verdict of a rehearsal (`run --rehearse`). Nothing was injected, so every probe saw the
 * undisturbed system: an expectation that misses, or a kill-switch condition that would have
 * tripped, means the probes or thresholds need work before the real run. Pure.
 */
import type { Journal, KillSwitchRecord } from '../journal/types.js';
import { decideOutcome, EXIT, type OutcomeInput } from './outcome.js';
import { describeSilence, type Silence } from './rehearsal-silence.js';

export function rehearsalOutcome(input: OutcomeInput & { wouldHaveTripped?: KillSwitchRecord; silences?: readonly Silence[] }): Journal['outcome'] {
  if (input.refused || input.internalError || input.killSwitch.tripped || input.faults.length > 0) {
    const real = decideOutcome(input);
    return { ...real, reason: `rehearsal: ${real.reason}` };
  }
  const missed = input.expectations.filter((e) => !e.ok);
  const silences = input.silences ?? [];
  const findings = [
    ...(input.wouldHaveTripped ? [`the kill switch would have tripped (${input.wouldHaveTripped.condition}: ${input.wouldHaveTripped.reason})`] : []),
    ...(silences.length ? [`the no-data guard would have stopped the drill (${silences.map(describeSilence).join('; ')})`] : []),
    ...(missed.length ? [`${missed.length} of ${input.expectations.length} expectations would have missed (${missed.map((e) => `${e.phase} ${e.probe} ${e.description}`).join('; ')})`] : []),
  ];
  if (findings.length > 0) {
    return {
      verdict: 'failed',
      exitCode: EXIT.failed,
      reason: `rehearsal: nothing was injected, yet on the undisturbed system ${findings.join(' and ')}; fix the probes or thresholds before the real run`,
    };
  }
  return {
    verdict: 'passed',
    exitCode: EXIT.passed,
    reason: `rehearsal: nothing was injected; steady state held, every probe answered within its no-data limit, the kill switch stayed quiet and ${input.expectations.length ? `all ${input.expectations.length} expectations held` : 'no expectations are declared'} on the undisturbed system`,
  };
}
