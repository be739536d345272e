/** The day report's postmortem summary in HTML (day.html); the drill AAR's styles apply. */
import { html, type Html } from '../../reporters/html/html.js';
import { table } from '../../reporters/html/parts.js';
import { formatPercent } from '../../values/percent.js';
import type { DayListItem, DayPostmortem } from './day-postmortem.js';

/** Only http(s) links become links; anything else is shown as text. */
function safeHref(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function dayPostmortemHtml(pm: DayPostmortem): Html {
  const rows = pm.impact.steps.flatMap((s) =>
    s.probes.map((p) => ({ cells: [s.step, p.probe, String(p.checks), String(p.failed), p.share === null ? 'no checks' : formatPercent(p.share)], className: p.failed > 0 ? 'impact-hurt' : '' })),
  );
  const list = (title: string, id: string, items: readonly DayListItem[], none: string) =>
    html`<div class="pm-list ${id}"><h3>${title}</h3>${
      items.length === 0
        ? html`<p class="muted">${none}</p>`
        : html`<ul>${items.map((i) => html`<li>${i.from === 'day' ? '' : html`<strong>step ${i.from}:</strong> `}${i.text}${i.team ? html` <span class="chip team">team</span>` : ''}</li>`)}</ul>`
    }</div>`;
  return html`<section id="postmortem" class="postmortem">
<h2>Postmortem summary</h2>
<h3>Impact</h3>
${pm.impact.none ? html`<p>${pm.impact.none}</p>` : ''}
${pm.impact.steps.length ? html`<ul class="impact">${pm.impact.steps.map((s) => html`<li><strong>step ${s.step}</strong> (${s.kind}): ${s.summary}${s.slo ? html` <em>Error budget:</em> ${s.slo}` : ''}</li>`)}</ul>` : ''}
${rows.length ? table(['step', 'probe', { title: 'checks while it was broken', num: true }, { title: 'failed', num: true }, { title: 'share failed', num: true }], rows) : ''}
${pm.impact.budgets.length ? html`<p><strong>Error budget over the day:</strong></p><ul>${pm.impact.budgets.map((b) => html`<li>${b}</li>`)}</ul>` : ''}
<h3>Detection</h3>
${pm.detection.findings.map((f) => html`<p class="finding"><strong>${f}</strong></p>`)}
${pm.detection.steps.length ? html`<ul class="detection">${pm.detection.steps.map((d) => html`<li><strong>step ${d.step}</strong>: firedrill's probes: ${d.firedrillText}${d.alerts.map((a) => html`; the team's alert ${a.alertname} (probe ${a.probe}): ${a.text}`)}. ${d.finding}</li>`)}</ul>` : ''}
<h3>People</h3>
${table(['name', 'role'], pm.people.map((p) => ({ cells: [p.name, p.role] })))}
<div class="pm-lists">
${list('What went well', 'well', pm.wentWell, 'Nothing the data shows; the team adds its own under "## Went well" in the day\'s notes.md.')}
${list('What went badly', 'badly', pm.wentBadly, 'Nothing the data shows; the team adds its own under "## Went badly" in the day\'s notes.md.')}
${list('Where we got lucky', 'lucky', pm.lucky, 'No near miss in the data; the team adds its own under "## Lucky" in the day\'s notes.md.')}
</div>
${pm.links.length ? html`<h3>Links</h3><ul class="links">${pm.links.map((l) => (safeHref(l.url) ? html`<li><a class="ext" href="${l.url}" rel="noopener noreferrer">${l.title}</a> <span class="url">${l.url}</span></li>` : html`<li>${l.title}: <code>${l.url}</code></li>`))}</ul>` : ''}
</section>`;
}
