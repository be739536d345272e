/** The team's notes that are not actions, 5 Whys or pre-mortem marks, as they wrote them (as text). */
import type { AarModel } from '../aar/model.js';
import { html, type Html } from './html.js';

/** Each other section of the notes file under its own heading; empty without notes. */
export function notesSection(model: AarModel): Html {
  if (!model.notes) return html``;
  return html`<section id="notes"><h2>Team notes</h2>
<p class="muted">Merged from <code>${model.notes.source}</code>. Actions, 5 Whys and pre-mortem marks appear in their sections above.</p>
${model.notes.sections.map((s) => html`<h3>${s.title}</h3><div class="notes-text">${s.lines.join('\n')}</div>`)}
</section>`;
}
