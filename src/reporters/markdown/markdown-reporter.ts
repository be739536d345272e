/** `report.md`: the After-Action Review a reviewer reads top to bottom, verdict first. */
import { buildAar } from '../aar/build.js';
import type { AarModel } from '../aar/model.js';
import type { AarReporter } from '../aar-reporter.js';
import type { ReportOptions } from '../report-options.js';
import { checklistSection } from './checklist-section.js';
import { code, text } from './escape.js';
import { factsSection } from './facts-section.js';
import { headerSection } from './header-section.js';
import { learningSection } from './learning-section.js';
import { nextSection } from './next-section.js';
import { notesSection } from './notes-section.js';
import { planSection } from './plan-section.js';
import { postmortemSection } from './postmortem-section.js';
import { whySection } from './why-section.js';
import { printable } from '../../text/printable.js';

/** Renders an already built model; `markdownReporter.render` builds it from the journal. */
export function renderMarkdown(model: AarModel): string {
  const lines = [
    ...headerSection(model),
    ...postmortemSection(model),
    ...learningSection(model),
    ...planSection(model),
    ...factsSection(model),
    ...whySection(model),
    ...nextSection(model),
    ...checklistSection(model),
    ...notesSection(model),
    '---',
    '',
    `Rendered from the journal of run ${code(model.run.runId)} (journal version ${model.run.journalVersion}, ${text(model.run.tool)})` +
      `${model.notes ? `, with the team's notes from ${code(model.notes.source)}` : ''}. Reports never re-run or re-measure anything. ` +
      `${model.notes ? '' : 'Merge the team\'s findings with `firedrill report --notes` to keep the lesson with the run. '}` +
      'The per-probe charts are in the HTML report (report.html, or `firedrill report --format html`).',
    '',
  ];
  // the document's own text holds no control character; any there came from the drill or a probe
  return printable(lines.join('\n'));
}

export const markdownReporter: AarReporter = {
  format: 'md',
  extension: 'md',
  render: (journal, options?: ReportOptions) => renderMarkdown(buildAar(journal, options)),
  renderModel: renderMarkdown,
};
