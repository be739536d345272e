/**
 * A finished run as metrics, for the Pushgateway: verdict, exit code, durations, the kill switch and
 * every expectation's result and measured value, so a team graphs drill outcomes over time. Labels
 * stay bounded by the drill itself (its phases, probes and expectations).
 */
import { Gauge, Registry } from 'prom-client';
import type { Journal, Verdict } from '../journal/types.js';

const VERDICTS: Verdict[] = ['passed', 'failed', 'aborted', 'refused', 'invalid', 'revert-failed', 'inject-failed', 'error', 'crashed'];

/** A fresh registry holding the run's results (the drill and environment come from the push's grouping key). */
export function resultRegistry(journal: Journal): Registry {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });

  const verdict = gauge('firedrill_last_run_verdict', '1 for the verdict of the latest run, 0 for the others', ['verdict']);
  for (const v of VERDICTS) verdict.set({ verdict: v }, v === journal.outcome.verdict ? 1 : 0);
  gauge('firedrill_last_run_exit_code', 'exit code of the latest run (0 passed, 1 failed, 3 aborted, 4 refused, 5 revert incomplete)').set(journal.outcome.exitCode);
  if (journal.endedAt) gauge('firedrill_last_run_finished_timestamp_seconds', 'when the latest run ended').set(Date.parse(journal.endedAt) / 1000);
  if (journal.durationMs !== undefined) gauge('firedrill_last_run_duration_seconds', 'how long the latest run took').set(journal.durationMs / 1000);

  const { timeToDetectMs, timeToRecoverMs, revertDurationMs } = journal.metrics;
  if (timeToDetectMs !== null) gauge('firedrill_last_run_time_to_detect_seconds', 'first fault injected to the end of the first failing check (when the failure was known)').set(timeToDetectMs / 1000);
  if (timeToRecoverMs !== null) gauge('firedrill_last_run_time_to_recover_seconds', 'last fault reverted to healthy again').set(timeToRecoverMs / 1000);
  if (revertDurationMs !== null) gauge('firedrill_last_run_revert_duration_seconds', 'revert start to the last undo done').set(revertDurationMs / 1000);

  const ks = journal.killSwitch;
  gauge('firedrill_last_run_kill_switch_tripped', '1 when the kill switch ended the latest run', ['kind']).set({ kind: ks.tripped ? (ks.kind ?? 'unknown') : 'none' }, ks.tripped ? 1 : 0);
  if (ks.reactionMs !== undefined) gauge('firedrill_last_run_kill_switch_reaction_seconds', 'kill-switch trip to the last fault reverted').set(ks.reactionMs / 1000);

  const counts = gauge('firedrill_last_run_expectations', 'expectations of the latest run by result', ['result']);
  const held = journal.expectations.filter((e) => e.ok).length;
  counts.set({ result: 'held' }, held);
  counts.set({ result: 'missed' }, journal.expectations.length - held);
  counts.set({ result: 'near_miss' }, journal.expectations.filter((e) => e.nearMiss).length);
  const labels = ['phase', 'probe', 'expectation'];
  const ok = gauge('firedrill_last_run_expectation_ok', '1 when the expectation held', labels);
  const actual = gauge('firedrill_last_run_expectation_actual', 'what the expectation measured, in its unit (ratios as fractions, times in seconds)', labels);
  for (const e of journal.expectations) {
    const l = { phase: e.phase, probe: e.probe, expectation: e.name ?? e.description };
    ok.set(l, e.ok ? 1 : 0);
    if (e.actual !== null) actual.set(l, isTime(e.metric) ? e.actual / 1000 : e.actual);
  }
  return registry;
}

function isTime(metric: string): boolean {
  return metric.startsWith('latency') || metric === 'recoversWithin';
}
