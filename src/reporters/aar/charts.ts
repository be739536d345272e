/**
 * The data behind the per-probe charts: latency and a trailing success rate over time, the phase
 * bands, the moments that matter (injection, kill switch, revert, recovery) and the expectation
 * thresholds, each over the phase it applies to. Long runs are downsampled without losing peaks.
 */
import { formatDurationMs } from '../../drill/duration.js';
import type { Expectation, ProbeSpec } from '../../drill/schema.js';
import { lastSampleT, probeReader, type ProbeReader } from '../../journal/sample-index.js';
import type { Journal } from '../../journal/types.js';
import { minMaxBucketIndexes } from './downsample.js';
import { firstInjectedT, lastRevertedT } from './faults.js';
import { sampleView } from './format.js';
import { firstFailures } from './onset.js';
import { describeKillCondition } from './plan.js';
import type { ChartMarker, ChartsSection, ChartThreshold, ExpectationRow, ProbeChart, TimelineEntry } from './model.js';
import { probeNames } from './probe-stats.js';
import { kindOf } from '../../drill/probe-kind.js';

/** Points per chart at most: plenty for a page-wide chart, small enough for a 2 MB report of 20 probes. */
export const MAX_CHART_POINTS = 1000;
/** The success rate is taken over at least this many probe intervals. */
const SUCCESS_WINDOW_INTERVALS = 10;

const MARKER_KINDS = new Set<ChartMarker['kind']>(['inject', 'revert', 'revert-failed', 'kill-switch', 'recovered']);

/** Everything the charts draw, from the journal, the expectation rows and the timeline. */
export function chartsSection(journal: Journal, rows: readonly ExpectationRow[], timeline: readonly TimelineEntry[]): ChartsSection {
  const endT = journal.durationMs ?? Math.max(0, ...journal.phases.map((p) => p.endT ?? p.startT), lastSampleT(journal.samples));
  const onsets = firstInjectedT(journal) === undefined ? [] : firstFailures(journal, firstInjectedT(journal) ?? 0);
  return {
    endT,
    phases: journal.phases.map((p) => ({ name: p.name, startT: p.startT, endT: p.endT ?? endT })),
    markers: timeline
      .filter((e): e is TimelineEntry & { kind: ChartMarker['kind'] } => MARKER_KINDS.has(e.kind as ChartMarker['kind']))
      .map((e) => ({ t: e.t, kind: e.kind, label: e.text })),
    probes: probeNames(journal).map((probe) => {
      const chart = probeChart(journal, probe, probeReader(journal.samples, probe), rows, endT);
      const onset = onsets.find((o) => o.probe === probe);
      if (onset) chart.markers.push({ t: onset.sample.t, kind: 'first-failure', label: `first failure of ${probe}: ${sampleView(onset.sample).text}` });
      return chart;
    }),
  };
}

function probeChart(journal: Journal, probe: string, samples: ProbeReader, rows: readonly ExpectationRow[], endT: number): ProbeChart {
  // already sorted by time (journal/sample-index.ts); read field by field, no object per sample
  const spec = journal.drill.spec.probes[probe];
  const measure: ProbeChart['measure'] = isValueProbe(spec) ? 'value' : 'latency';
  const intervalMs = spec?.interval ?? 1000;
  const windowMs = Math.max(SUCCESS_WINDOW_INTERVALS * intervalMs, Math.ceil(endT / 200));
  const y = (i: number) => (measure === 'value' ? plottable(samples.value(i)) : samples.latencyMs(i));
  const kept = minMaxBucketIndexes({ length: samples.length, t: (i) => samples.t(i), y, ok: (i) => samples.ok(i) }, MAX_CHART_POINTS);
  // prefix sums of healthy samples give each kept point its trailing success rate in O(1)
  const okBefore = new Uint32Array(samples.length + 1);
  for (let i = 0; i < samples.length; i++) okBefore[i + 1] = (okBefore[i] as number) + (samples.ok(i) ? 1 : 0);
  let from = 0;
  const successPct = kept.map((i) => {
    const t = samples.t(i);
    while (from < i && (from < samples.length ? samples.t(from) : 0) <= t - windowMs) from++;
    const n = i + 1 - from;
    return Math.round((((okBefore[i + 1] as number) - (okBefore[from] as number)) / n) * 1000) / 10;
  });
  return {
    probe,
    measure,
    samples: samples.length,
    downsampled: kept.length < samples.length,
    successWindowMs: windowMs,
    t: kept.map((i) => samples.t(i)),
    y: kept.map((i) => y(i)),
    failed: kept.flatMap((i, k) => (samples.ok(i) ? [] : [k])),
    successPct,
    thresholds: [...expectationThresholds(journal, probe, rows, endT), ...killSwitchThresholds(journal, probe, endT)],
    markers: recoverBy(journal, probe),
  };
}

function isValueProbe(spec: ProbeSpec | undefined): boolean {
  const kind = spec && kindOf(spec);
  return kind === 'prometheus' || kind === 'scrape' || kind === 'alert';
}

/** ±Inf is stored as ±Number.MAX_VALUE; a chart cannot draw it, so it is left out like a missing value. */
function plottable(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) || Math.abs(value) >= Number.MAX_VALUE ? null : value;
}

type Drawn = { metric: string; op: 'limit' | 'low' | 'high'; value: number; text: string };

/** The lines one expectation draws: one limit, or both ends of a range; none for counts, recovery and ratios. */
function linesOf(e: Expectation): Drawn[] {
  if (e.successRate) return [{ metric: 'successRate', op: 'limit', value: Math.round(e.successRate.value * 10_000) / 100, text: e.successRate.text }];
  for (const metric of ['latencyP50', 'latencyP95', 'latencyP99', 'latencyMax'] as const) {
    const th = e[metric];
    if (th) return [{ metric, op: 'limit', value: th.value, text: th.text }];
  }
  if (e.value) return [{ metric: 'value', op: 'limit', value: e.value.value, text: e.value.text }];
  if (e.valueBetween) {
    const [low, high] = e.valueBetween;
    return [
      { metric: 'valueBetween', op: 'low', value: low, text: `>= ${low}` },
      { metric: 'valueBetween', op: 'high', value: high, text: `<= ${high}` },
    ];
  }
  return [];
}

function expectationThresholds(journal: Journal, probe: string, rows: readonly ExpectationRow[], endT: number): ChartThreshold[] {
  const out: ChartThreshold[] = [];
  for (const phase of ['baseline', 'fault', 'recovery'] as const) {
    const record = journal.phases.find((p) => p.name === phase);
    if (!record) continue;
    const occurrences = new Map<string, number>();
    for (const e of journal.drill.spec.expect[phase] ?? []) {
      if (e.probe !== probe) continue;
      const lines = linesOf(e);
      const metric = lines[0]?.metric;
      if (!metric) continue;
      const n = (occurrences.get(metric) ?? 0) + 1;
      occurrences.set(metric, n);
      const base = `${phase}/${probe}/${metric}`;
      const row = rows.find((r) => r.key === (n === 1 ? base : `${base}#${n}`));
      for (const line of lines) {
        out.push({
          axis: metric === 'successRate' ? 'success' : 'measure',
          value: line.value,
          fromT: record.startT,
          toT: record.endT ?? endT,
          label: `${phase}: ${metric === 'valueBetween' ? 'value' : metric} ${line.text}`,
          held: row ? row.ok : null,
        });
      }
    }
  }
  return out;
}

/** Kill-switch limits watch the run from the fault phase on; drawn dotted. */
function killSwitchThresholds(journal: Journal, probe: string, endT: number): ChartThreshold[] {
  const fromT = journal.phases.find((p) => p.name === 'fault')?.startT ?? 0;
  return journal.drill.spec.killSwitch.flatMap((k): ChartThreshold[] => {
    if (k.probe !== probe) return [];
    const label = `kill switch: ${describeKillCondition(k)}`;
    const line = (axis: ChartThreshold['axis'], value: number): ChartThreshold[] => [{ axis, value, fromT, toT: endT, label, held: null }];
    if (k.latencyAbove !== undefined) return line('measure', k.latencyAbove);
    if (k.valueAbove !== undefined) return line('measure', k.valueAbove);
    if (k.valueBelow !== undefined) return line('measure', k.valueBelow);
    if (k.successRateBelow !== undefined) return line('success', Math.round(k.successRateBelow * 10_000) / 100);
    return [];
  });
}

/** The deadline each recoversWithin expectation sets: the last revert plus the time allowed. */
function recoverBy(journal: Journal, probe: string): ChartMarker[] {
  const reverted = lastRevertedT(journal);
  if (reverted === undefined) return [];
  return (journal.drill.spec.expect.recovery ?? [])
    .filter((e) => e.probe === probe && e.recoversWithin !== undefined)
    .map((e) => ({
      t: reverted + (e.recoversWithin ?? 0),
      kind: 'recover-by' as const,
      label: `${probe} should be healthy again by now (recoversWithin ${formatDurationMs(e.recoversWithin ?? 0)})`,
    }));
}
