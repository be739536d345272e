/** Since the previous run of the same drill: a link to it, what changed, what got better or worse. */
import type { AarModel } from '../aar/model.js';
import { html, relativeHref, type Html } from './html.js';
import { chip } from './parts.js';

/** Always present, so a first run says plainly that there is nothing to compare with yet. */
export function learningSection(model: AarModel): Html {
  const l = model.learning;
  if (!l.previous) {
    return html`<section id="since"><h2>Since the previous run</h2><p class="muted">No earlier run of this drill was found next to this one, so there is nothing to compare with yet.</p></section>`;
  }
  const href = relativeHref(`${l.previous.href}report.html`);
  return html`<section id="since"><h2>Since the previous run</h2>
<p>Previous run: ${href ? html`<a href="${href}">${l.previous.runId}</a>` : html`<code>${l.previous.runId}</code>`} (${l.previous.startedAt}), ${l.previous.label}. ${l.earlierRuns > 1 ? `${l.earlierRuns} earlier runs of this drill were found.` : ''}</p>
<h3>What changed</h3>
<ul>${l.changes.map((c) => html`<li>${chip(c.changed ? 'changed' : 'same', c.changed ? 'changed' : 'same')} ${c.text}</li>`)}</ul>
<h3>Results against the previous run</h3>
<ul>${l.results.map((r) => html`<li>${chip(r.change, r.regression ? 'regression' : r.change)} ${r.text}</li>`)}</ul>
</section>`;
}
