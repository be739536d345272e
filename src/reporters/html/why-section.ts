/** 3. Why were there differences? What the tool saw, the 5 Whys (with the team's answers), and prompts. */
import type { AarModel, WhyChain } from '../aar/model.js';
import { html, type Html } from './html.js';
import { chip, sampleTable } from './parts.js';

/** Observations with their samples and fixes, the 5 Whys chains, and what the data cannot show. */
export function whySection(model: AarModel): Html {
  const { why } = model;
  return html`<section id="why"><h2>3. Why were there differences?</h2>
<h3>What the data shows</h3>
${why.observations.length === 0 ? html`<p>Nothing stood out in the data: every expectation held with room to spare.</p>` : ''}
<ul class="observations">${why.observations.map(
    (o) => html`<li class="${o.severity}">${chip(o.severity, o.kind.replace(/-/g, ' '))} ${o.text}
${o.samples && o.samples.length > 0 ? sampleTable(o.samples) : ''}
${o.fix ? html`<p>Fix by hand: ${o.fix.summary}</p>${o.fix.commands.length > 0 ? html`<pre>${o.fix.commands.join('\n')}</pre>` : ''}` : ''}</li>`,
  )}</ul>
<h3>5 Whys</h3>
${why.fiveWhys.length === 0 ? html`<p>No expectation was missed. Start a chain from any near miss or surprise above if the team wants to dig deeper.</p>` : why.fiveWhys.map(chain)}
<h3>What the data cannot show</h3>
<ul>${why.prompts.map((p) => html`<li>${p}</li>`)}</ul>
</section>`;
}

function chain(c: WhyChain): Html {
  const answers = c.answers ?? [];
  const lines = Math.max(c.depth, answers.length);
  return html`<div class="chain"><p class="problem">Starting from: ${c.problem}${c.source === 'team' ? html` <span class="muted">(from the team's notes)</span>` : ''}</p>
${c.seen.length > 0 ? html`<p class="muted">What the data shows:</p><ul>${c.seen.map((s) => html`<li>${s}</li>`)}</ul>` : ''}
<ol class="whys">${Array.from({ length: lines }, (_, i) => (answers[i] ? html`<li>Why? ${answers[i]}</li>` : html`<li class="empty">Why? …</li>`))}</ol>
<p>Root condition: ${c.root ?? html`<span class="muted">…</span>`}</p></div>`;
}
