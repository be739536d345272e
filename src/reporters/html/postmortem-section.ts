/** The postmortem summary: impact, detection, people, went well / badly / lucky, links. */
import type { AarModel } from '../aar/model.js';
import { formatPercent } from '../../values/percent.js';
import { html, type Html } from './html.js';
import { table } from './parts.js';

export function postmortemSection(model: AarModel): Html {
  const pm = model.postmortem;
  const hurt = pm.impact.probes.filter((p) => p.checks > 0);
  const list = (title: string, id: string, l: { fromData: string[]; fromTeam: string[] }, none: string) =>
    html`<div class="pm-list ${id}"><h3>${title}</h3>${
      l.fromData.length + l.fromTeam.length === 0
        ? html`<p class="muted">${none}</p>`
        : html`<ul>${l.fromData.map((x) => html`<li>${x}</li>`)}${l.fromTeam.map((x) => html`<li>${x} <span class="chip team">team</span></li>`)}</ul>`
    }</div>`;
  return html`<section id="postmortem" class="postmortem">
<h2>Postmortem summary</h2>
<h3>Impact</h3>
<p>${pm.impact.summary}</p>
${hurt.length > 0 ? table(['probe', { title: 'checks in the fault phase', num: true }, { title: 'failed', num: true }, { title: 'share failed', num: true }], hurt.map((p) => ({ cells: [p.probe, String(p.checks), String(p.failed), p.share === null ? 'no checks' : formatPercent(p.share)], className: p.failed > 0 ? 'impact-hurt' : '' }))) : ''}
${pm.impact.slo ? html`<p><strong>Error budget:</strong> ${pm.impact.slo.text}</p>` : html`<p class="muted">No SLO is stated: add <code>slo: { probe, objective: 99.9%, window: 30d }</code> to the drill to see the error budget it burns.</p>`}
<h3>Detection</h3>
<ul><li>firedrill's probes: ${pm.detection.firedrillText}</li>${pm.detection.alerts.map((a) => html`<li>the team's alert ${a.alertname} (probe ${a.probe}): ${a.text}</li>`)}</ul>
<p class="finding">${pm.detection.finding}</p>
<h3>People</h3>
${pm.people.length === 0 ? html`<p class="muted">No people are named: add <code>facilitator:</code> and <code>participants:</code> to the drill (or run it in a game day).</p>` : table(['name', 'role'], pm.people.map((p) => ({ cells: [p.name, p.role] })))}
<div class="pm-lists">
${list('What went well', 'well', pm.wentWell, 'Nothing the data shows; the team adds its own under "## Went well" in the notes file.')}
${list('What went badly', 'badly', pm.wentBadly, 'Nothing the data shows; the team adds its own under "## Went badly" in the notes file.')}
${list('Where we got lucky', 'lucky', pm.lucky, 'No near miss in the data; the team adds its own under "## Lucky" in the notes file.')}
</div>
${pm.links.length > 0 ? html`<h3>Links</h3><ul class="links">${pm.links.map((l) => html`<li><a class="ext" href="${l.url}" rel="noopener noreferrer">${l.title}</a> <span class="url">${l.url}</span></li>`)}</ul>` : ''}
</section>`;
}
