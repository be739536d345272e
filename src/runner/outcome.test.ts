import { describe, expect, it } from 'vitest';
import type { ExpectationResult, FaultRecord } from '../journal/types.js';
import { decideOutcome } from './outcome.js';

const fault = (status: FaultRecord['status']): FaultRecord => ({
  id: 'pause/1', faultId: 'pause', type: 'process-pause', target: 'backend', label: 'SIGSTOP backend pid 1',
  plannedStartT: 0, plannedDurationMs: 1000, revertAttempts: 1, status, ...(status !== 'not-injected' ? { injectedT: 10 } : {}),
});
const expectation = (ok: boolean): ExpectationResult => ({
  phase: 'fault', probe: 'api', description: 'successRate >= 99%', metric: 'successRate', expected: '>= 99%',
  actual: ok ? 1 : 0.5, actualText: '', ok, margin: null, nearMiss: false, evidence: { samples: 1, failures: 0, note: '' },
});

describe('decideOutcome', () => {
  it('passes when every expectation held and every fault was reverted', () => {
    expect(decideOutcome({ killSwitch: { tripped: false }, faults: [fault('reverted')], expectations: [expectation(true)] })).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
  it('fails (1) on a missed expectation', () => {
    expect(decideOutcome({ killSwitch: { tripped: false }, faults: [fault('reverted')], expectations: [expectation(false)] })).toMatchObject({ verdict: 'failed', exitCode: 1 });
  });
  it('is aborted (3) when the kill switch tripped, whatever the expectations say', () => {
    const o = decideOutcome({ killSwitch: { tripped: true, kind: 'probe', condition: 'api: 3 consecutive failures' }, faults: [fault('reverted')], expectations: [expectation(false)] });
    expect(o).toMatchObject({ verdict: 'aborted', exitCode: 3 });
    expect(o.reason).toContain('api: 3 consecutive failures');
  });
  it('is an injection failure (6), not a kill-switch abort, when a fault could not be injected', () => {
    const failed = { ...fault('inject-failed'), error: 'inject command exited 1: disk is full' };
    const o = decideOutcome({ killSwitch: { tripped: true, kind: 'inject-failed', condition: 'injection failed', reason: 'x' }, faults: [failed], expectations: [expectation(true)] });
    expect(o).toMatchObject({ verdict: 'inject-failed', exitCode: 6 });
    expect(o.reason).toMatch(/^injection failed, the hypothesis was not tested: could not inject SIGSTOP backend pid 1: inject command exited 1: disk is full/);
    expect(o.reason).not.toContain('kill switch');
  });
  it('is refused (4) with nothing injected', () => {
    expect(decideOutcome({ refused: 'steady state does not hold', killSwitch: { tripped: false }, faults: [], expectations: [] })).toMatchObject({ verdict: 'refused', exitCode: 4 });
  });
  it('shouts (5) when a revert failed or a fault is still marked injected, above everything else', () => {
    for (const status of ['revert-failed', 'injected'] as const) {
      const o = decideOutcome({ internalError: 'boom', killSwitch: { tripped: true, kind: 'operator' }, faults: [fault('reverted'), fault(status)], expectations: [] });
      expect(o).toMatchObject({ verdict: 'revert-failed', exitCode: 5 });
      expect(o.reason).toContain('SIGSTOP backend pid 1');
    }
  });
  it('reports an internal error (70) after reverting', () => {
    expect(decideOutcome({ internalError: 'boom', killSwitch: { tripped: false }, faults: [fault('reverted')], expectations: [] })).toMatchObject({ verdict: 'error', exitCode: 70 });
  });
});
