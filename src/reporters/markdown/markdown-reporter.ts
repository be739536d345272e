/** `report.md`: the After-Action Review a reviewer reads top to bottom, verdict first. */
import { buildAar } from '../aar/build.js';
import type { AarModel } from '../aar/model.js';
import type { JournalReporter } from '../contract.js';
import { checklistSection } from './checklist-section.js';
import { code, text } from './escape.js';
import { factsSection } from './facts-section.js';
import { headerSection } from './header-section.js';
import { nextSection } from './next-section.js';
import { planSection } from './plan-section.js';
import { whySection } from './why-section.js';

/** Renders an already built model; `markdownReporter.render` builds it from the journal. */
export function renderMarkdown(model: AarModel): string {
  const lines = [
    ...headerSection(model),
    ...planSection(model),
    ...factsSection(model),
    ...whySection(model),
    ...nextSection(model),
    ...checklistSection(model),
    '---',
    '',
    `Rendered from the journal of run ${code(model.run.runId)} (journal version ${model.run.journalVersion}, ${text(model.run.tool)}). ` +
      'Reports never re-run or re-measure anything. Merge the team\'s findings into this file to keep the lesson with the run.',
    '',
  ];
  return lines.join('\n');
}

export const markdownReporter: JournalReporter = {
  format: 'md',
  extension: 'md',
  render: (journal, options) => renderMarkdown(buildAar(journal, options)),
};
