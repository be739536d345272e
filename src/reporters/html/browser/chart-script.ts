/**
 * The browser side of the HTML report's charts. It reads the chart data from a JSON data block and
 * draws one uPlot chart per probe: latency, failed samples, a trailing success rate, the phase
 * bands, the thresholds and the moments of the run. It never builds markup from data: text goes in
 * through `textContent` only.
 *
 * Browser code, checked against the DOM types (tsconfig.json in this folder) and linted like the
 * rest; `npm run build` bundles it into one ES2017 script (reporters/html/chart-bundle.ts), which
 * the report inlines and its Content-Security-Policy allows by hash. uPlot is the global the
 * inlined uPlot script defines.
 */
/// <reference types="uplot" />
import type { ChartData, ChartProbeData, MarkerTuple } from '../chart-data-shape.js';
import { markerCandidates, placeLabel, thresholdCandidates, type LabelBox } from '../chart-label-layout.js';

type Formatter = (v: number | null | undefined) => string;

const PHASE_FALLBACK: Record<string, [cssName: string, fallback: string]> = {
  preflight: ['--band-preflight', 'rgba(100,116,139,0.06)'],
  baseline: ['--band-baseline', 'rgba(37,99,235,0.06)'],
  fault: ['--band-fault', 'rgba(234,88,12,0.12)'],
  recovery: ['--band-recovery', 'rgba(22,163,74,0.08)'],
};
const MARK_COLOR: Record<string, string> = {
  inject: '#c2410c',
  revert: '#15803d',
  'revert-failed': '#b91c1c',
  'kill-switch': '#7c3aed',
  'first-failure': '#dc2626',
  recovered: '#0e7490',
  'recover-by': '#0e7490',
};
const MARK_TEXT: Record<string, string> = {
  inject: 'inject',
  revert: 'revert',
  'revert-failed': 'REVERT FAILED',
  'kill-switch': 'kill switch',
  'first-failure': 'first failure',
  recovered: 'recovered',
  'recover-by': 'recover by',
};
const HEIGHT = 260;
const PRINT_WIDTH = 660;

const two = (n: number) => (n < 10 ? '0' : '') + n;
const fmtT: Formatter = (s) => {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `+${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  return `+${m}m${two(Math.floor(s - m * 60))}s`;
};
const fmtMs: Formatter = (v) => (v === null || v === undefined ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const fmtNum: Formatter = (v) => (v === null || v === undefined ? '—' : String(Number(v.toPrecision(4))));
const fmtPct: Formatter = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} %`);

/** The labels of one chart's current drawing: where each went, so the next one keeps clear of them. */
interface Labels {
  placed: LabelBox[];
  drawn: Array<{ text: string; box: LabelBox }>;
}

/** The size of a label's light box in canvas pixels. */
function labelSize(ctx: CanvasRenderingContext2D, text: string): { w: number; h: number } {
  return { w: ctx.measureText(text).width + 4 * devicePixelRatio, h: 12 * devicePixelRatio };
}

/** A label on a light box, so lines and bands underneath do not make it unreadable; placed clear of the others (chart-label-layout.ts). */
function tag(ctx: CanvasRenderingContext2D, labels: Labels, text: string, candidates: LabelBox[], area: LabelBox, colour: string): void {
  const box = placeLabel(candidates, labels.placed, area);
  labels.drawn.push({ text, box });
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  ctx.fillStyle = colour;
  ctx.fillText(text, box.x + 2 * devicePixelRatio, box.y + 1 * devicePixelRatio);
}

const areaOf = (u: uPlot): LabelBox => ({ x: u.bbox.left, y: u.bbox.top, w: u.bbox.width, h: u.bbox.height });

const widthOf = (host: HTMLElement) => Math.max(320, Math.floor(host.clientWidth || 800));

function phaseBands(data: ChartData, fill: Record<string, string>, labels: Labels): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    const box = u.bbox;
    // a new drawing: every label is placed again
    labels.placed.length = 0;
    labels.drawn.length = 0;
    ctx.save();
    ctx.font = `${Math.round(10 * devicePixelRatio)}px sans-serif`;
    ctx.textBaseline = 'bottom';
    for (const [name, startS, endS] of data.phases) {
      const x0 = Math.max(box.left, u.valToPos(startS, 'x', true));
      const x1 = Math.min(box.left + box.width, u.valToPos(endS, 'x', true));
      if (x1 <= x0) continue;
      ctx.fillStyle = fill[name] ?? 'transparent';
      ctx.fillRect(x0, box.top, x1 - x0, box.height);
      ctx.fillStyle = '#64748b';
      if (x1 - x0 > 50 * devicePixelRatio) {
        const at = { x: x0 + 4 * devicePixelRatio, y: box.top + box.height - 3 * devicePixelRatio };
        // the phase name is drawn first and stays where it is: the other labels keep clear of it
        const w = ctx.measureText(name).width;
        const h = 11 * devicePixelRatio;
        const mine = { x: at.x, y: at.y - h, w, h };
        labels.placed.push(mine);
        labels.drawn.push({ text: name, box: mine });
        ctx.fillText(name, at.x, at.y);
      }
    }
    ctx.restore();
  };
}

function thresholdsOf(probe: ChartProbeData, labels: Labels): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    const box = u.bbox;
    ctx.save();
    ctx.font = `${Math.round(10 * devicePixelRatio)}px sans-serif`;
    ctx.textBaseline = 'top';
    for (const [axis, value, fromS, toS, label, held] of probe.thr) {
      const y = u.valToPos(value, axis, true);
      if (y < box.top || y > box.top + box.height) continue;
      const x0 = Math.max(box.left, u.valToPos(fromS, 'x', true));
      const x1 = Math.min(box.left + box.width, u.valToPos(toS, 'x', true));
      if (x1 <= x0) continue;
      const colour = held === 0 ? '#dc2626' : held === 1 ? '#475569' : '#7c3aed';
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash(held === -1 ? [2 * devicePixelRatio, 3 * devicePixelRatio] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x1, y);
      ctx.stroke();
      ctx.setLineDash([]);
      const size = labelSize(ctx, label);
      tag(ctx, labels, label, thresholdCandidates(x0, x1, y, size.w, size.h, 2 * devicePixelRatio), areaOf(u), colour);
    }
    ctx.restore();
  };
}

function markersOf(all: MarkerTuple[], labels: Labels, host: HTMLElement): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    const box = u.bbox;
    ctx.save();
    ctx.font = `bold ${Math.round(10 * devicePixelRatio)}px sans-serif`;
    ctx.textBaseline = 'top';
    all.forEach(([tS, kind]) => {
      const x = u.valToPos(tS, 'x', true);
      if (x < box.left || x > box.left + box.width) return;
      const colour = MARK_COLOR[kind] ?? '#334155';
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash(kind === 'recover-by' ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
      ctx.beginPath();
      ctx.moveTo(x, box.top);
      ctx.lineTo(x, box.top + box.height);
      ctx.stroke();
      const text = MARK_TEXT[kind] ?? kind;
      const size = labelSize(ctx, text);
      tag(ctx, labels, text, markerCandidates(x, size.w, size.h, areaOf(u), 2 * devicePixelRatio, 6), areaOf(u), colour);
    });
    ctx.restore();
    // where the labels went, in canvas pixels, for whoever checks the layout (the test suite)
    host.setAttribute('data-labels', JSON.stringify({ area: areaOf(u), labels: labels.drawn }));
  };
}

function hoverOf(all: MarkerTuple[], out: Element | null): (u: uPlot) => void {
  return (u) => {
    if (!out) return;
    const left = u.cursor.left;
    if (left === undefined || left < 0) {
      out.textContent = '';
      return;
    }
    const t = u.posToVal(left, 'x');
    const near = ((u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0)) * 0.015;
    const hits = all.filter((m) => Math.abs(m[0] - t) <= near);
    out.textContent = hits.length === 0 ? '' : hits.map((m) => `${fmtT(m[0])} ${m[2]}`).join('  ·  ');
  };
}

function chartOptions(data: ChartData, probe: ChartProbeData, host: HTMLElement, fill: Record<string, string>): uPlot.Options {
  const latency = probe.m === 'latency';
  const fmtY = latency ? fmtMs : fmtNum;
  let top = 0;
  let bottom = 0;
  // the range takes in the expectation limits; a kill-switch limit far above the data would flatten it
  for (const [axis, value, , , , held] of probe.thr) {
    if (axis === 'y' && held !== -1) {
      top = Math.max(top, value);
      bottom = Math.min(bottom, value);
    }
  }
  const all = data.markers.concat(probe.mk);
  const hover = host.parentNode instanceof Element ? host.parentNode.querySelector('.fd-hover') : null;
  const labels: Labels = { placed: [], drawn: [] };
  return {
    width: widthOf(host),
    height: HEIGHT,
    cursor: { drag: { x: true, y: false } },
    scales: {
      x: { time: false, range: [0, Math.max(data.endS, 1)] },
      y: {
        range: (_u, min, max) => {
          const lo = Math.min(min || 0, bottom, 0);
          const hi = Math.max(max || 0, top);
          return [lo, hi + (hi - lo) * 0.1 || 1];
        },
      },
      pct: { range: [0, 105] },
    },
    axes: [
      { incrs: [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], values: (_u, vals) => vals.map(fmtT) },
      { scale: 'y', label: latency ? 'latency' : 'value', size: 64, values: (_u, vals) => vals.map(fmtY) },
      { scale: 'pct', side: 1, label: 'success %', grid: { show: false }, values: (_u, vals) => vals.map((v) => `${v}%`) },
    ],
    series: [
      { label: 'time', value: (_u, v) => fmtT(v) },
      { label: latency ? 'latency' : 'value', scale: 'y', stroke: '#2563eb', width: 1, points: { show: false }, value: (_u, v) => fmtY(v) },
      {
        label: 'failed',
        scale: 'y',
        stroke: '#dc2626',
        width: 0,
        paths: () => null,
        points: { show: true, space: 0, size: 6, fill: '#dc2626', stroke: '#dc2626' },
        value: (_u, v) => fmtY(v),
      },
      { label: 'success', scale: 'pct', stroke: '#16a34a', width: 1.5, points: { show: false }, value: (_u, v) => fmtPct(v) },
    ],
    hooks: {
      drawClear: [phaseBands(data, fill, labels)],
      draw: [thresholdsOf(probe, labels), markersOf(all, labels, host)],
      setCursor: [hoverOf(all, hover)],
    },
  };
}

function draw(): void {
  const source = document.getElementById('fd-chart-data');
  if (!source || typeof uPlot === 'undefined') return;
  const data = JSON.parse(source.textContent || '{}') as ChartData;
  const style = getComputedStyle(document.documentElement);
  const fill: Record<string, string> = {};
  for (const [phase, [cssName, fallback]] of Object.entries(PHASE_FALLBACK)) fill[phase] = style.getPropertyValue(cssName).trim() || fallback;

  const plots: { host: HTMLElement; plot: uPlot }[] = [];
  data.probes.forEach((probe, i) => {
    const host = document.getElementById(`fd-chart-${i}`);
    if (!host) return;
    // a failed check of a value probe may have read nothing: its dot sits on the axis
    const failed: (number | null)[] = probe.t.map(() => null);
    for (const k of probe.fi) failed[k] = probe.y[k] ?? 0;
    plots.push({ host, plot: new uPlot(chartOptions(data, probe, host, fill), [probe.t, probe.y, failed, probe.ok], host) });
  });

  const resize = (width?: number) => {
    for (const p of plots) p.plot.setSize({ width: width ?? widthOf(p.host), height: HEIGHT });
  };
  let pending = 0;
  window.addEventListener('resize', () => {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      pending = 0;
      resize();
    });
  });
  // printed pages are narrower than most screens: draw the charts to fit, then back
  window.addEventListener('beforeprint', () => resize(PRINT_WIDTH));
  window.addEventListener('afterprint', () => resize());
  if (typeof window.matchMedia === 'function') {
    window.matchMedia('print').addEventListener('change', (e) => resize(e.matches ? PRINT_WIDTH : undefined));
  }
  document.documentElement.setAttribute('data-charts-drawn', String(plots.length));
}

draw();
