/** 4. What do we do differently next time? Prompts, an action table to fill, the pre-mortem to mark. */
import type { AarModel } from '../aar/model.js';
import { text } from './escape.js';
import { table } from './table.js';

/** Prompts, an empty action-item table and the pre-mortem checklist. */
export function nextSection(model: AarModel): string[] {
  const { next } = model;
  const lines = ['## 4. What do we do differently next time?', '', ...next.prompts.map((p) => `- ${text(p)}`), ''];
  lines.push('**Action items** (each with an owner and a date; carried into the next run):', '');
  lines.push(...table(['action', 'owner', 'due', 'done'], [['', '', '', ''], ['', '', '', '']]), '');
  lines.push('### Pre-mortem', '');
  if (next.premortem.length === 0) {
    lines.push('The drill lists no pre-mortem. Before the next run, add a `premortem:` list of the ways the team expects it could go wrong.', '');
  } else {
    lines.push('Written before the run. Mark each: did it happen?', '');
    lines.push(...next.premortem.map((p) => `- [ ] ${text(p.text)} — happened: yes / no / partly`), '');
  }
  return lines;
}
