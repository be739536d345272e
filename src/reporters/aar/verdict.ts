/** The verdict line: one word and one reason a reviewer reads first. */
import type { Journal, Verdict } from '../../journal/types.js';
import { describeTrip } from './kill-switch.js';
import { unrevertedFaults } from './faults.js';
import { plural } from './format.js';
import type { ExpectationRow, VerdictLine } from './model.js';

const LABELS: Record<Verdict, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  aborted: 'ABORTED',
  refused: 'REFUSED',
  invalid: 'INVALID',
  'revert-failed': 'REVERT FAILED',
  'inject-failed': 'INJECTION FAILED',
  error: 'ERROR',
  crashed: 'CRASHED',
};

/** Builds the verdict line from the outcome and the expectation rows. */
export function verdictLine(journal: Journal, rows: readonly ExpectationRow[]): VerdictLine {
  const { verdict, exitCode, reason: runnerReason } = journal.outcome;
  const missed = rows.filter((r) => !r.ok).length;
  const nearMisses = rows.filter((r) => r.status === 'near-miss').length;
  const near = nearMisses > 0 ? `, ${plural(nearMisses, 'near miss', 'near misses')}` : '';
  let reason: string;
  // a rehearsal's verdict is about the probes and thresholds, in the runner's words
  if (journal.rehearsal) {
    reason = runnerReason.replace(/^rehearsal: /, '');
    return { verdict, label: `REHEARSAL ${LABELS[verdict] ?? String(verdict).toUpperCase()}`, reason, runnerReason, exitCode, tone: verdict === 'passed' ? 'good' : 'warn' };
  }
  switch (verdict) {
    case 'passed':
      reason = rows.length === 0 ? 'hypothesis held: no expectation was checked' : `hypothesis held: ${rows.length === 1 ? 'the expectation was' : `all ${rows.length} expectations were`} met${near}`;
      break;
    case 'failed':
      reason = `hypothesis violated: ${missed} of ${plural(rows.length, 'expectation')} missed${near}`;
      break;
    case 'aborted':
      reason = `${journal.killSwitch.tripped ? `aborted by the kill switch on ${describeTrip(journal.killSwitch)}` : 'aborted before the planned end'}; faults reverted`;
      break;
    case 'revert-failed': {
      const n = unrevertedFaults(journal).length;
      reason = `revert incomplete: ${n === 0 ? 'a fault' : plural(n, 'fault')} may still be in place; fix by hand (see below)`;
      break;
    }
    case 'refused':
      reason = `preflight refused, nothing injected: ${runnerReason}`;
      break;
    case 'inject-failed':
      reason = 'injection failed: the fault could not be put in place, so the hypothesis was not tested; everything injected was reverted';
      break;
    default:
      reason = runnerReason;
  }
  return {
    verdict,
    label: LABELS[verdict] ?? String(verdict).toUpperCase(),
    reason,
    runnerReason,
    exitCode,
    tone: verdict === 'passed' ? 'good' : verdict === 'aborted' || verdict === 'refused' ? 'warn' : 'bad',
  };
}
