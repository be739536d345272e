/** 4. What do we do differently next time? Prompts, the action items (carried over until done), the pre-mortem. */
import type { AarModel } from '../aar/model.js';
import { cell, text } from './escape.js';
import { table } from './table.js';

/** Prompts, the action items (an empty table to fill when there are none), and the pre-mortem marks. */
export function nextSection(model: AarModel): string[] {
  const { next } = model;
  const lines = ['## 4. What do we do differently next time?', '', ...next.prompts.map((p) => `- ${text(p)}`), ''];
  lines.push('**Action items** (each with an owner and a date; open ones are carried into the next run\'s report until marked done):', '');
  const rows = next.actions.map((a) => [
    cell(a.text),
    cell(a.owner ?? ''),
    cell(a.due ?? ''),
    a.done ? 'yes' : a.carriedFrom ? `no (carried over from run ${cell(a.carriedFrom)})` : 'no',
  ]);
  lines.push(...table(['action', 'owner', 'due', 'done'], rows.length > 0 ? rows : [['', '', '', ''], ['', '', '', '']]), '');
  lines.push('### Pre-mortem', '');
  if (next.premortem.length === 0) {
    lines.push('The drill lists no pre-mortem. Before the next run, add a `premortem:` list of the ways the team expects it could go wrong.', '');
  } else {
    lines.push('Written before the run. Mark each: did it happen?', '');
    lines.push(
      ...next.premortem.map((p) =>
        p.happened === null
          ? `- [ ] ${text(p.text)} — happened: yes / no / partly`
          : `- [x] ${text(p.text)} — happened: **${p.happened}**${p.note ? `, ${text(p.note)}` : ''}`,
      ),
      '',
    );
  }
  return lines;
}
