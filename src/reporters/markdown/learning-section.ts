/** Since the previous run of the same drill: a link to it, what changed, what got better or worse. */
import type { AarModel, ResultChange } from '../aar/model.js';
import { text } from './escape.js';

const CHANGE_MARK: Record<ResultChange['change'], string> = { better: 'better', worse: '**worse**', same: 'same', changed: 'changed', new: 'new', gone: 'gone' };

/** Always present, so a first run says plainly that there is nothing to compare with yet. */
export function learningSection(model: AarModel): string[] {
  const l = model.learning;
  const lines = ['## Since the previous run', ''];
  if (!l.previous) return [...lines, 'No earlier run of this drill was found next to this one, so there is nothing to compare with yet.', ''];
  const link = /^[\w./-]+$/.test(l.previous.href) ? `[${l.previous.runId}](${l.previous.href}report.md)` : `\`${l.previous.runId}\``;
  lines.push(`Previous run: ${link} (${text(l.previous.startedAt)}), ${l.previous.label}.${l.earlierRuns > 1 ? ` ${l.earlierRuns} earlier runs of this drill were found.` : ''}`, '');
  if (l.repetition) lines.push(`> **REPETITION, NOT ITERATION** — ${text(l.repetition)}`, '');
  lines.push('**What changed:**', '', ...l.changes.map((c) => `- ${c.changed ? 'changed' : 'same'}: ${text(c.text)}`), '');
  lines.push('**Results against the previous run:**', '', ...l.results.map((r) => `- ${r.regression ? '**regression**' : CHANGE_MARK[r.change]}: ${text(r.text)}`), '');
  return lines;
}
