/** The safe-to-fail checklist, answered from the data where the data can answer it. */
import type { AarModel, ChecklistAnswer } from '../aar/model.js';
import { html, type Html } from './html.js';
import { chip, table } from './parts.js';

const ANSWER_TEXT: Record<ChecklistAnswer, string> = { yes: 'yes', no: 'NO', partly: 'partly', unknown: 'not exercised', team: 'for the team' };

/** One row per question: the answer and the data behind it. */
export function checklistSection(model: AarModel): Html {
  return html`<section id="checklist"><h2>Safe-to-fail checklist</h2>
${table(['question', 'answer', 'from the data'], model.checklist.map((c) => ({ cells: [c.question, chip(c.answer, ANSWER_TEXT[c.answer]), c.detail], className: c.answer === 'no' ? 'missed' : '' })))}
</section>`;
}
