/** The safe-to-fail checklist, answered from the data where the data can answer it. */
import type { AarModel, ChecklistAnswer } from '../aar/model.js';
import { cell } from './escape.js';
import { table } from './table.js';

const ANSWER_TEXT: Record<ChecklistAnswer, string> = {
  yes: 'yes',
  no: '**NO**',
  partly: 'partly',
  unknown: 'not exercised',
  team: 'for the team',
};

/** One row per question: the answer and the data behind it. */
export function checklistSection(model: AarModel): string[] {
  return [
    '## Safe-to-fail checklist',
    '',
    ...table(['question', 'answer', 'from the data'], model.checklist.map((c) => [c.question, ANSWER_TEXT[c.answer], cell(c.detail)])),
    '',
  ];
}
