/** The day's verdict and exit code from its steps. Pure. */
import type { DayRecord, StepRecord } from './day-record.js';

const BAD = new Set<StepRecord['status']>(['failed', 'aborted', 'refused', 'invalid', 'inject-failed', 'error', 'crashed']);

export function decideDayOutcome(record: Pick<DayRecord, 'steps' | 'sessions' | 'rehearsal'> & { killSwitch?: DayRecord['killSwitch'] }, stoppedBy: string | undefined): DayRecord['outcome'] {
  const label = record.rehearsal ? 'rehearsal: ' : '';
  const stuck = record.steps.filter((s) => s.status === 'revert-failed');
  if (stuck.length > 0) {
    return { verdict: 'revert-failed', exitCode: 5, reason: `${label}REVERT INCOMPLETE in ${stuck.map((s) => `step ${s.index + 1} ${s.name}`).join(', ')}: something may still be broken; read the step's report` };
  }
  const pending = record.steps.filter((s) => s.status === 'pending' || s.status === 'running');
  const ran = record.steps.filter((s) => s.status !== 'pending' && s.status !== 'skipped' && s.kind !== 'hold');
  const bad = record.steps.filter((s) => BAD.has(s.status));
  if (stoppedBy !== undefined && pending.length > 0) {
    if (ran.length === 0 && bad.every((s) => s.status === 'refused')) {
      return { verdict: 'refused', exitCode: 4, reason: `${label}the day stopped before any step ran: ${stoppedBy}` };
    }
    return { verdict: 'stopped', exitCode: 3, reason: `${label}the day stopped (${stoppedBy}) with ${pending.length} step(s) not run; resume it with \`firedrill gameday --resume <day-id>\`` };
  }
  const would = record.rehearsal ? record.killSwitch?.wouldHaveTripped : undefined;
  if (would) {
    // nothing was injected, so a day kill switch that would have fired is a probe or threshold to fix
    const steps = bad.length > 0 ? `; ${bad.length} of ${ran.length} step(s) did not pass: ${bad.map((s) => `${s.index + 1} ${s.name} (${s.status})`).join(', ')}` : '';
    return { verdict: 'failed', exitCode: 1, reason: `${label}the day kill switch would have stopped the day${would.step !== undefined ? ` during step ${would.step + 1}` : ''} (${would.condition}: ${would.reason}) on the undisturbed system${steps}` };
  }
  if (bad.length > 0) {
    return { verdict: 'failed', exitCode: 1, reason: `${label}${bad.length} of ${ran.length} step(s) did not pass: ${bad.map((s) => `${s.index + 1} ${s.name} (${s.status})`).join(', ')}` };
  }
  const skipped = record.steps.filter((s) => s.status === 'skipped').length;
  return { verdict: 'passed', exitCode: 0, reason: `${label}all ${ran.length} step(s) passed${skipped ? `; ${skipped} skipped` : ''}` };
}
