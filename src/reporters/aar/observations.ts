/**
 * "Why were there differences?" — what the tool can see for itself in the journal. Every
 * observation states a measured fact about conditions and systems; none guesses a cause.
 */
import { formatDurationMs } from '../../drill/duration.js';
import { lastSampleT, someSample } from '../../journal/sample-index.js';
import type { Journal } from '../../journal/types.js';
import { firstInjectedT, unrevertedFaults } from './faults.js';
import { plural, sampleView } from './format.js';
import { describeTrip } from './kill-switch.js';
import { manualFix } from './manual-fix.js';
import type { ExpectationRow, Observation } from './model.js';
import { failureReasons, firstFailures } from './onset.js';
import { sampleGaps, silentPhases } from './sample-gaps.js';
import { formatPercent } from '../../values/percent.js';
import { formatRelative } from '../../values/relative-time.js';

const METRIC_WORDS: Record<string, string> = {
  latencyP50: 'p50 latency',
  latencyP95: 'p95 latency',
  latencyP99: 'p99 latency',
  latencyMax: 'maximum latency',
  successRate: 'success rate',
};

/** All observations, the ones to act on first: failed reverts, then what went wrong, then context. */
export function observations(journal: Journal, rows: readonly ExpectationRow[]): Observation[] {
  return [
    ...revertFailures(journal),
    ...injectFailures(journal),
    ...killSwitchTrip(journal),
    ...baselineUnhealthy(rows),
    ...rows.filter((r) => r.status === 'missed' || r.status === 'no-data').map(missedExpectation),
    ...onsets(journal),
    ...missingSamples(journal),
    ...rows.filter((r) => r.status === 'near-miss').map(nearMiss),
    ...noEffect(journal),
  ];
}

function revertFailures(journal: Journal): Observation[] {
  return unrevertedFaults(journal).map((f) => ({
    kind: 'revert-failed',
    severity: 'critical',
    text:
      `REVERT FAILED: "${f.label}" (fault ${f.faultId} on target ${f.target}${f.instance ? `, pid ${f.instance.pid}` : ''}) ` +
      `is not known to be reverted after ${plural(f.revertAttempts, 'attempt')}${f.error ? `: ${f.error}` : ''}. It may still be in place.`,
    ...(f.revertStartT === undefined ? {} : { t: f.revertStartT }),
    fix: manualFix(journal, f),
  }));
}

function injectFailures(journal: Journal): Observation[] {
  return journal.faults
    .filter((f) => f.status === 'inject-failed')
    .map((f) => ({
      kind: 'inject-failed',
      severity: 'warning',
      text: `Fault "${f.label}" could not be injected${f.error ? `: ${f.error}` : ''}.`,
    }));
}

function killSwitchTrip(journal: Journal): Observation[] {
  const k = journal.killSwitch;
  if (!k.tripped) return [];
  const injectedT = firstInjectedT(journal);
  const when = k.t === undefined ? '' : ` at ${formatRelative(k.t)}${injectedT !== undefined && k.t >= injectedT ? ` (${formatDurationMs(k.t - injectedT)} after injection)` : ''}`;
  const reaction = k.reactionMs === undefined ? '' : ` The last fault was reverted ${formatDurationMs(k.reactionMs)} after the trip.`;
  const samples = k.samples ?? [];
  const first = samples[0];
  const last = samples[samples.length - 1];
  const span = first && last && first !== last ? `, from ${formatRelative(first.t)} to ${formatRelative(last.t)}` : '';
  const shown = samples.length > 0 ? ` It fired on ${plural(samples.length, 'sample')}${span}.` : '';
  return [
    {
      kind: 'kill-switch',
      severity: 'warning',
      text: `The kill switch fired${when} on ${describeTrip(k)}${k.reason ? ` (${k.reason})` : ''}.${shown}${reaction}`,
      ...(k.t === undefined ? {} : { t: k.t }),
      samples: samples.map(sampleView),
    },
  ];
}

function baselineUnhealthy(rows: readonly ExpectationRow[]): Observation[] {
  const failed = rows.filter((r) => r.phase === 'baseline' && !r.ok);
  if (failed.length === 0) return [];
  return [
    {
      kind: 'baseline-unhealthy',
      severity: 'warning',
      text:
        `The baseline did not hold before anything was injected (${failed.map((r) => `${r.probe} ${r.description}: ${r.actualText}`).join('; ')}). ` +
        'Differences in later phases may come from a condition that existed before the fault.',
    },
  ];
}

function missedExpectation(row: ExpectationRow): Observation {
  const base = { severity: 'warning' as const, probe: row.probe, expectation: row.key };
  const where = `in the ${row.phase} phase`;
  if (row.actual === null) {
    if (row.metric === 'recoversWithin') {
      return {
        ...base,
        kind: 'no-recovery',
        text: `${row.probe} did not recover: after the last revert it never had 3 healthy samples in a row (allowed: ${row.expected}).`,
      };
    }
    return { ...base, kind: 'samples-missing', text: `${row.probe} ${row.description} ${where} could not be evaluated: no samples (${row.evidence.note || 'no data'}).` };
  }
  if (row.metric === 'recoversWithin') {
    const ratio = row.limit ? row.actual / row.limit : null;
    const allowed = row.limit !== null ? formatDurationMs(row.limit) : row.expected;
    return {
      ...base,
      kind: 'recovery-slow',
      text: `Recovery of ${row.probe} took ${row.actualText}${ratio !== null ? `, ${ratio.toFixed(1).replace(/\.0$/, '')}x the allowed ${allowed}` : ` (allowed: ${allowed})`}.`,
    };
  }
  if (row.metric === 'successRate') {
    return {
      ...base,
      kind: 'threshold-missed',
      text: `The success rate of ${row.probe} ${where} was ${row.actualText} (${row.evidence.failures} of ${plural(row.evidence.samples, 'sample')} failed), short of ${row.expected}.`,
    };
  }
  if (row.metric === 'maxConsecutiveFailures') {
    return {
      ...base,
      kind: 'threshold-missed',
      text: `${row.probe} failed ${row.actualText} times in a row ${where}; the drill allows ${row.expected}.`,
    };
  }
  const words = METRIC_WORDS[row.metric] ?? row.metric;
  const over = row.budgetLeft !== null && row.budgetLeft < 0 ? ` by ${formatPercent(-row.budgetLeft)}` : '';
  return {
    ...base,
    kind: 'threshold-missed',
    text: `The ${words} of ${row.probe} ${where} was ${row.actualText}, over its limit (${row.expected})${over}${row.evidence.worst ? `; the worst sample was at ${row.evidence.worst.at}: ${row.evidence.worst.text}` : ''}.`,
  };
}

function onsets(journal: Journal): Observation[] {
  const injectedT = firstInjectedT(journal);
  if (injectedT === undefined) return [];
  const endT = journal.durationMs ?? Math.max(injectedT, lastSampleT(journal.samples));
  return firstFailures(journal, injectedT).flatMap((o): Observation[] => {
    const reasons = failureReasons(journal, o.probe, injectedT, endT);
    const total = reasons.reduce((n, [, c]) => n + c, 0);
    const first: Observation = {
      kind: 'first-failure',
      severity: 'info',
      probe: o.probe,
      t: o.sample.t,
      text: `The first failing sample of ${o.probe} came ${formatDurationMs(o.afterInjectMs)} after injection, at ${formatRelative(o.sample.t)} (${sampleView(o.sample).text}).`,
    };
    const errors: Observation = {
      kind: 'errors-seen',
      severity: 'info',
      probe: o.probe,
      text: `${o.probe} failed ${plural(total, 'time')} from the injection to the end of the run: ${reasons.map(([r, c]) => `${r} ×${c}`).join(', ')}.`,
    };
    return [first, errors];
  });
}

function missingSamples(journal: Journal): Observation[] {
  const intervals = new Map(Object.entries(journal.drill.spec.probes).map(([name, p]) => [name, p.interval]));
  const gaps = sampleGaps(journal).map(
    (g): Observation => ({
      kind: 'samples-missing',
      severity: 'warning',
      probe: g.probe,
      t: g.fromT,
      text:
        `No sample of ${g.probe} between ${formatRelative(g.fromT)} and ${formatRelative(g.toT)} (${formatDurationMs(g.toT - g.fromT)}; ` +
        `the probe runs every ${formatDurationMs(intervals.get(g.probe) ?? 0)}). What happened in this window is not measured.`,
    }),
  );
  const silent = silentPhases(journal).map(
    (s): Observation => ({
      kind: 'samples-missing',
      severity: 'warning',
      probe: s.probe,
      text: `${s.probe} has no sample in the ${s.phase} phase (${formatDurationMs(s.durationMs)} long).`,
    }),
  );
  return [...gaps, ...silent];
}

function nearMiss(row: ExpectationRow): Observation {
  return {
    kind: 'near-miss',
    severity: 'info',
    probe: row.probe,
    text: `Near miss: ${row.probe} ${row.description} in the ${row.phase} phase held with only ${row.budgetText} (measured ${row.actualText}).`,
  };
}

function noEffect(journal: Journal): Observation[] {
  const injectedT = firstInjectedT(journal);
  if (injectedT === undefined || someSample(journal.samples, (s) => !s.ok && s.t >= injectedT)) return [];
  return [
    {
      kind: 'no-effect',
      severity: 'info',
      text: 'No probe failed after the fault went in: the system absorbed it, or the probes do not watch the path the fault affects.',
    },
  ];
}
