/** 4. What do we do differently next time? Prompts, action items (carried over until done), the pre-mortem. */
import type { AarModel } from '../aar/model.js';
import { html, type Html } from './html.js';
import { chip, table } from './parts.js';

/** Prompts, the action items with owners, and which pre-mortem items happened. */
export function nextSection(model: AarModel): Html {
  const { next } = model;
  const actions = next.actions.length === 0
    ? html`<p class="muted">No action items yet. Add them to the notes (<code>## Actions</code>, one <code>- [ ] what — owner: who, due: date</code> per line) and merge them with <code>firedrill report --notes</code>; open ones carry over to the next run's report until marked done.</p>`
    : table(
        ['action', 'owner', 'due', 'status'],
        next.actions.map((a) => ({
          cells: [a.text, a.owner ?? '—', a.due ?? '—', a.done ? chip('yes', 'done') : a.carriedFrom ? html`${chip('partly', 'open')} <span class="muted">carried over from run ${a.carriedFrom}</span>` : chip('partly', 'open')],
        })),
      );
  const premortem = next.premortem.length === 0
    ? html`<p>The drill lists no pre-mortem. Before the next run, add a <code>premortem:</code> list of the ways the team expects it could go wrong.</p>`
    : html`<p>Written before the run. ${next.premortem.some((p) => p.happened === null) ? 'Unmarked items are for the team to answer in the notes.' : ''}</p>
${table(['the team expected this could go wrong', 'happened?'], next.premortem.map((p) => ({ cells: [p.note ? html`${p.text} <span class="muted">— ${p.note}</span>` : p.text, p.happened === null ? chip('unknown', 'not marked yet') : chip(p.happened === 'yes' ? 'no' : p.happened === 'no' ? 'yes' : 'partly', p.happened)] })))}`;
  return html`<section id="next"><h2>4. What do we do differently next time?</h2>
<ul>${next.prompts.map((p) => html`<li>${p}</li>`)}</ul>
<h3>Action items</h3>
${actions}
<h3>Pre-mortem</h3>
${premortem}
</section>`;
}
