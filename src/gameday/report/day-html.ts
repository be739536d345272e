/**
 * `day.html`: the game day's review as one self-contained page (no script, no request; a
 * Content-Security-Policy allows only its inlined stylesheet), printable to PDF.
 */
import { createHash } from 'node:crypto';
import { html, trusted, type Html } from '../../reporters/html/html.js';
import { STYLES } from '../../reporters/html/styles.js';
import { dayKillSwitchText, expectationsText, noReport, type DayReportModel } from './day-model.js';
import { dayPostmortemHtml } from './day-postmortem-html.js';

const DAY_STYLES = `
.steps td.status { font-weight: 700; white-space: nowrap; }
.status-passed, .status-done { color: var(--good); } .status-failed, .status-aborted, .status-error, .status-invalid, .status-refused { color: var(--bad); }
.status-revert-failed, .status-crashed { color: #fff; background: var(--bad); } .status-pending, .status-skipped { color: var(--muted); }
.timeline td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { background: var(--info-bg); }
@media print { a[href]::after { content: none; } .steps, .timeline { font-size: 10pt; } tr { break-inside: avoid; } }
`;

const verdictClass: Record<string, string> = { passed: 'good', failed: 'bad', stopped: 'warn', refused: 'warn', 'revert-failed': 'bad', running: 'warn' };
const verdictLabel: Record<string, string> = { passed: 'PASSED', failed: 'FAILED', stopped: 'STOPPED', refused: 'REFUSED', 'revert-failed': 'REVERT INCOMPLETE', running: 'UNFINISHED' };

export function renderDayHtml(model: DayReportModel): string {
  const r = model.record;
  const styles = STYLES + DAY_STYLES;
  const hash = createHash('sha256').update(styles, 'utf8').digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const stepRows: Html[] = model.steps.map((s) => {
    return html`<tr><td>${s.number}</td><td>${s.record.name}</td><td>${s.record.kind}</td><td class="status status-${s.record.status}">${s.record.status.toUpperCase()}</td><td>${s.verdictText}</td><td>${expectationsText(s)}</td><td>${s.durationText}</td><td>${s.links ? html`<a href="${s.links.html}">AAR</a> · <a href="${s.links.markdown}">md</a>` : noReport(s.record.kind)}</td></tr>`;
  });
  const details: Html[] = model.steps
    .filter((s) => s.record.kind !== 'hold')
    .map(
      (s) => html`<section><h3>${s.number}. ${s.record.name} — <span class="status-${s.record.status}">${s.record.status.toUpperCase()}</span></h3>
<p>${s.record.summary}</p>
${s.aar?.plan.hypothesis ? html`<p><strong>Hypothesis:</strong> ${s.aar.plan.hypothesis}</p>` : ''}
${s.aar && s.aar.facts.expectations.some((e) => e.status !== 'held') ? html`<ul>${s.aar.facts.expectations.filter((e) => e.status !== 'held').map((e) => html`<li><strong>${e.status === 'near-miss' ? 'near miss' : e.status}</strong>: ${e.phase} ${e.probe} ${e.description} — measured ${e.actualText}</li>`)}</ul>` : ''}
${s.links ? html`<p>After-Action Review: <a href="${s.links.html}">${s.links.html}</a></p>` : ''}
</section>`,
    );
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${`${verdictLabel[r.outcome.verdict] ?? r.outcome.verdict}: ${r.plan.title} — game day review`}</title>
<style>${trusted(styles)}</style>
</head>
<body>
<main>
<header class="verdict ${verdictClass[r.outcome.verdict] ?? 'warn'}">
<p class="eyebrow">${r.rehearsal ? 'Game day rehearsal' : 'Game day review'} · ${r.dayId}</p>
<h1>${r.plan.title}</h1>
<p><span class="label">${verdictLabel[r.outcome.verdict] ?? r.outcome.verdict}</span><span class="reason">${r.outcome.reason}</span></p>
</header>
${r.rehearsal ? html`<div class="alert warning"><strong class="tag">REHEARSAL</strong> — nothing was injected. Every probe watched the undisturbed system; the verdicts say what the kill switches and expectations would have decided.</div>` : ''}
${r.plan.description ? html`<p>${r.plan.description}</p>` : ''}
<div class="figures">
<div class="figure"><div class="k">environment</div><div class="v">${r.environment || '(none)'}</div></div>
<div class="figure"><div class="k">duration</div><div class="v">${model.durationText}</div></div>
<div class="figure${r.killSwitch.tripped || r.killSwitch.wouldHaveTripped ? ' bad' : ''}"><div class="k">day kill switch</div><div class="v">${dayKillSwitchText(r.killSwitch, r.rehearsal)}</div></div>
<div class="figure"><div class="k">steps</div><div class="v">${model.steps.filter((s) => s.record.kind !== 'hold').length}</div></div>
</div>
<h2>Steps</h2>
<table class="steps"><thead><tr><th>#</th><th>step</th><th>kind</th><th>status</th><th>verdict</th><th>expectations</th><th>duration</th><th>report</th></tr></thead><tbody>
${stepRows}
</tbody></table>
${dayPostmortemHtml(model.postmortem)}
<h2>What happened, step by step</h2>
${details}
<h2>Day timeline</h2>
<table class="timeline"><thead><tr><th>time</th><th>step</th><th>what</th><th>by</th></tr></thead><tbody>
${model.timeline.map((e) => html`<tr class="${e.kind === 'note' ? 'note' : ''}"><td>${e.at.slice(11, 19)}</td><td>${e.step ?? 'day'}</td><td>${e.kind === 'note' ? html`<strong>note:</strong> ` : ''}${e.text}</td><td>${e.author ? `${e.author}${e.source ? ` (${e.source})` : ''}` : 'firedrill'}</td></tr>`)}
</tbody></table>
<h2>Action items</h2>
${model.actions.length
  ? html`<table><thead><tr><th>step</th><th>action</th><th>owner</th><th>due</th><th>done</th></tr></thead><tbody>${model.actions.map((a) => html`<tr><td>${a.step}</td><td>${a.text}</td><td>${a.owner ?? 'nobody yet'}</td><td>${a.due ?? 'not set'}</td><td>${a.done ? 'yes' : 'no'}</td></tr>`)}</tbody></table>`
  : html`<p>No action items recorded yet: add them under <code>## Actions</code> in a step's <code>notes.md</code> (or the day's <code>notes.md</code>) and render the report again.</p>`}
${model.prompts.length ? html`<h2>Questions for the review</h2><ul>${model.prompts.map((p) => html`<li>step ${p.step}: ${p.text}</li>`)}</ul>` : ''}
<footer>Rendered from <code>day.json</code> and each step's journal; reports never re-run or re-measure anything.</footer>
</main>
</body>
</html>
`;
  return page.value;
}
