/**
 * `report.html`: the After-Action Review as one self-contained page. Everything it needs is inside
 * (uPlot, styles, data); a Content-Security-Policy allows only those inlined assets by hash, so the
 * page makes no request, runs no other script and no user text can become markup.
 */
import { buildAar } from '../aar/build.js';
import type { AarModel } from '../aar/model.js';
import type { ReportOptions } from '../report-options.js';
import type { AarReporter } from '../aar-reporter.js';
import { inlineAssets } from './assets.js';
import { chartDataJson } from './chart-data.js';
import { checklistSection } from './checklist-section.js';
import { factsSection } from './facts-section.js';
import { headerSection } from './header-section.js';
import { html, trusted } from './html.js';
import { learningSection } from './learning-section.js';
import { nextSection } from './next-section.js';
import { notesSection } from './notes-section.js';
import { planSection } from './plan-section.js';
import { postmortemSection } from './postmortem-section.js';
import { whySection } from './why-section.js';

/** Renders an already built model as a complete HTML document. */
export function renderHtml(model: AarModel): string {
  const assets = inlineAssets();
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${assets.csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${model.run.tool}">
<title>${`${model.verdict.label}: ${model.run.drillName} — After-Action Review`}</title>
${assets.styles.map((s) => html`<style>${trusted(s)}</style>`)}
</head>
<body>
<main>
${headerSection(model)}
${postmortemSection(model)}
${learningSection(model)}
${planSection(model)}
${factsSection(model)}
${whySection(model)}
${nextSection(model)}
${checklistSection(model)}
${notesSection(model)}
<footer>Rendered from the journal of run <code>${model.run.runId}</code> (journal version ${model.run.journalVersion}, ${model.run.tool})${model.notes ? html`, with the team's notes from <code>${model.notes.source}</code>` : ''}. Reports never re-run or re-measure anything.</footer>
</main>
<script type="application/json" id="fd-chart-data">${trusted(chartDataJson(model.charts))}</script>
${assets.scripts.map((s) => html`<script>${trusted(s)}</script>`)}
</body>
</html>
`;
  return page.value;
}

export const htmlReporter: AarReporter = {
  format: 'html',
  extension: 'html',
  render: (journal, options?: ReportOptions) => renderHtml(buildAar(journal, options)),
  renderModel: renderHtml,
};
