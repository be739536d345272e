/** The team's notes that are not actions, 5 Whys or pre-mortem marks, as they wrote them (as text). */
import type { AarModel } from '../aar/model.js';
import { code, text } from './escape.js';

/** Each other section of the notes file under its own heading; nothing without notes. */
export function notesSection(model: AarModel): string[] {
  if (!model.notes) return [];
  const lines = ['## Team notes', '', `Merged from ${code(model.notes.source)}. Actions, 5 Whys and pre-mortem marks appear in their sections above.`, ''];
  for (const s of model.notes.sections) {
    lines.push(`### ${text(s.title)}`, '');
    // one escaped line each, kept apart by hard breaks, so the team's layout survives without its markup
    lines.push(...s.lines.map((l, i) => (l.trim() === '' ? '' : `${text(l)}${i < s.lines.length - 1 && (s.lines[i + 1] ?? '').trim() !== '' ? '\\' : ''}`)), '');
  }
  return lines;
}
