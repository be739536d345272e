/** 1. What was supposed to happen? The drill's own words and numbers, written before the run. */
import { formatDurationMs } from '../../drill/duration.js';
import type { AarModel } from '../aar/model.js';
import { html, type Html } from './html.js';
import { table } from './parts.js';
import { formatPercent } from '../../values/percent.js';

/** Hypothesis, expectations as written, and the plan: blast radius, phases, faults, probes, kill switch. */
export function planSection(model: AarModel): Html {
  const { plan } = model;
  const br = plan.blastRadius;
  return html`<section id="plan"><h2>1. What was supposed to happen?</h2>
${plan.hypothesis ? html`<p><strong>Hypothesis:</strong> ${plan.hypothesis}</p>` : html`<p><strong>Hypothesis:</strong> none written. A drill without one can only report what happened, not whether it was expected.</p>`}
${plan.description ? html`<p>${plan.description}</p>` : ''}
${plan.owner ? html`<p>Owner: ${plan.owner}</p>` : ''}
<h3>Expectations, as written</h3>
${plan.expectations.length === 0 ? html`<p>The drill sets no expectations.</p>` : table(['phase', 'probe', 'check'], plan.expectations.map((e) => ({ cells: [e.phase, e.probe, e.name ? `${e.check} (${e.name})` : e.check] })))}
<h3>The plan</h3>
<ul>
<li><strong>Blast radius:</strong> ${br.targets.join(', ')}; select ${br.select}; at most ${br.maxTargets} instance${br.maxTargets === 1 ? '' : 's'}; at most ${formatDurationMs(br.maxDurationMs)} in all${br.trafficShare === undefined ? '' : `, at most ${formatPercent(br.trafficShare)} of traffic`}.</li>
<li><strong>Phases:</strong> ${plan.phases.map((p) => `${p.name} ${formatDurationMs(p.plannedMs)}`).join(' → ')}</li>
</ul>
${table(
  ['fault', 'type', 'target', 'starts', 'lasts', 'how'],
  plan.faults.map((f) => ({
    cells: [f.id, f.type, f.target, f.startAfterMs === 0 ? 'start of the fault phase' : `${formatDurationMs(f.startAfterMs)} into the fault phase`, formatDurationMs(f.durationMs), f.detail],
  })),
)}
${table(['probe', 'every', 'timeout', 'checks'], plan.probes.map((p) => ({ cells: [p.name, formatDurationMs(p.intervalMs), formatDurationMs(p.timeoutMs), p.what] })))}
<p><strong>Kill switch:</strong></p>
<ul>${plan.killSwitch.map((k) => html`<li>${k}</li>`)}</ul>
</section>`;
}
