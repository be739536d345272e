/**
 * The charts' data as compact JSON for a `<script type="application/json">` block: times in
 * seconds, failed samples as indexes, thresholds and markers as tuples. Escaped so that no value
 * can close the block or be read as markup.
 */
import type { ChartsSection } from '../aar/model.js';
import type { ChartData } from './chart-data-shape.js';
import { mapStrings, printable } from '../../text/printable.js';

const seconds = (ms: number) => Math.round(ms) / 1000;

/** JSON for the chart script (browser/chart-script.ts reads it). */
export function chartDataJson(charts: ChartsSection): string {
  const data: ChartData = {
    endS: seconds(charts.endT),
    phases: charts.phases.map((p) => [p.name, seconds(p.startT), seconds(p.endT)]),
    markers: charts.markers.map((m) => [seconds(m.t), m.kind, m.label]),
    probes: charts.probes.map((p) => ({
      m: p.measure,
      t: p.t.map(seconds),
      y: p.y.map((v) => (v === null ? null : p.measure === 'latency' ? Math.round(v) : Number(v.toPrecision(6)))),
      fi: p.failed,
      ok: p.successPct,
      thr: p.thresholds.map((h) => [h.axis === 'success' ? 'pct' : 'y', h.value, seconds(h.fromT), seconds(h.toT), h.label, h.held === null ? -1 : h.held ? 1 : 0]),
      mk: p.markers.map((m) => [seconds(m.t), m.kind, m.label]),
    })),
  };
  // labels are drawn as text: hidden characters spelled out like everywhere else in the page
  return safeJson(mapStrings(data, printable));
}

/** JSON that is also safe inside an HTML script element: no `<`, `>`, `&` or line separators as such. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
