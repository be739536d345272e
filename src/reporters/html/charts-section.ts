/** The per-probe charts: a figure each, filled in by the chart script from the JSON data block. */
import { formatDurationMs } from '../../drill/duration.js';
import type { AarModel } from '../aar/model.js';
import { html, type Html } from './html.js';

/** One figure per probe with its caption and key; the canvas comes from uPlot at load time. */
export function chartsSection(model: AarModel): Html {
  const { charts } = model;
  if (charts.probes.length === 0) return html`<h3 id="charts">Probes over time</h3><p>No probe recorded samples.</p>`;
  return html`<h3 id="charts">Probes over time</h3>
<p class="muted">Latency, or the value a metrics probe read (left axis), and success rate over a trailing window (right axis) per probe; failed samples in red. Shaded: the phases. Lines: the expectation thresholds over the phase they apply to (red where missed), kill-switch limits dotted, and the moments of the run. Hover a chart for values.</p>
${charts.probes.map(
  (p, i) => html`<figure class="chart">
<figcaption>${p.probe} <span class="muted">— ${p.samples} samples${p.downsampled ? `, drawn from ${p.t.length} points (lowest, highest and worst failure of each time bucket)` : ''}; success rate over a trailing ${formatDurationMs(p.successWindowMs)}</span></figcaption>
<div class="plot" id="fd-chart-${i}" role="img" aria-label="${`${p.measure} and success rate of ${p.probe} over the run`}"></div>
<div class="fd-hover" aria-live="polite"></div>
<div class="keys"><span><i class="swatch sw-baseline"></i>baseline</span><span><i class="swatch sw-fault"></i>fault</span><span><i class="swatch sw-recovery"></i>recovery</span><span><i class="swatch sw-inject"></i>inject</span><span><i class="swatch sw-revert"></i>revert</span><span><i class="swatch sw-kill"></i>kill switch</span><span><i class="swatch sw-failed"></i>failed sample</span></div>
${p.thresholds.length > 0 ? html`<div class="keys">Thresholds: ${p.thresholds.map((t) => html`<span>${t.label}${t.held === false ? ' (missed)' : ''}</span>`)}</div>` : ''}
</figure>`,
)}`;
}
