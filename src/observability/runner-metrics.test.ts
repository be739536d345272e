import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../journal/types.js';
import { parseExposition } from '../probes/scrape/exposition.js';
import { ManualClock } from '../clock/manual-clock.js';
import { RunnerMetrics } from './runner-metrics.js';

function manualClock(): ManualClock {
  const clock = new ManualClock(new Date(0));
  clock.advance(1000);
  return clock;
}

const fault = (over: Partial<FaultRecord>): FaultRecord => ({
  id: 'process-pause#1',
  faultId: 'process-pause#1',
  type: 'process-pause',
  target: 'backend',
  label: 'pause backend',
  plannedStartT: 0,
  plannedDurationMs: 5000,
  revertAttempts: 0,
  status: 'injected',
  injectedT: 2000,
  ...over,
});

async function read(m: RunnerMetrics, name: string, labels: Record<string, string> = {}) {
  const page = parseExposition(await m.text());
  return page.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('RunnerMetrics', () => {
  it('says which drill runs, with run id and environment', async () => {
    const m = new RunnerMetrics('shop', { runId: 'r1', environment: 'staging', clock: manualClock() });
    expect(await read(m, 'firedrill_drill_info', { drill: 'shop', run_id: 'r1', environment: 'staging' })).toBe(1);
  });

  it('counts a fault as overdue once it stays past its planned duration, until it is reverted', async () => {
    const clock = manualClock();
    const m = new RunnerMetrics('shop', { clock });
    m.onEvent({ t: 0, type: 'run-start', message: 'start' });
    clock.advance(2000);
    m.onFault(fault({}));
    clock.advance(4000);
    expect(await read(m, 'firedrill_faults_active')).toBe(1);
    expect(await read(m, 'firedrill_faults_overdue')).toBe(0);
    expect(await read(m, 'firedrill_fault_overdue_seconds')).toBe(0);
    clock.advance(3500);
    expect(await read(m, 'firedrill_faults_overdue')).toBe(1);
    expect(await read(m, 'firedrill_fault_overdue_seconds')).toBe(2.5);
    m.onFault(fault({ status: 'reverted', revertStartT: 9400, revertedT: 9500 }));
    expect(await read(m, 'firedrill_faults_active')).toBe(0);
    expect(await read(m, 'firedrill_fault_overdue_seconds')).toBe(0);
  });

  it('keeps a fault whose revert failed counted as in place and overdue', async () => {
    const clock = manualClock();
    const m = new RunnerMetrics('shop', { clock });
    m.onEvent({ t: 0, type: 'run-start', message: 'start' });
    m.onFault(fault({ injectedT: 0 }));
    m.onFault(fault({ injectedT: 0, status: 'revert-failed' }));
    clock.advance(8000);
    expect(await read(m, 'firedrill_faults_active')).toBe(1);
    expect(await read(m, 'firedrill_fault_overdue_seconds')).toBe(3);
  });

  it('exposes each probe\'s latest result and value', async () => {
    const m = new RunnerMetrics('shop', { clock: manualClock() });
    m.onSample({ probe: 'errors', t: 0, phase: 'fault', ok: false, latencyMs: 12, value: 0.3, outcome: 'value' });
    expect(await read(m, 'firedrill_probe_up', { probe: 'errors' })).toBe(0);
    expect(await read(m, 'firedrill_probe_value', { probe: 'errors' })).toBe(0.3);
    expect(await read(m, 'firedrill_probe_samples_total', { probe: 'errors', result: 'failed' })).toBe(1);
  });
});
