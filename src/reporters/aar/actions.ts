/**
 * Action items: this run's, from the merged notes, and the open ones of earlier runs, which carry
 * over from report to report until a later run's notes mark them done.
 */
import type { ActionItem, TeamNotes } from './context.js';
import type { ActionRow } from './model.js';

/** Lower case, no punctuation or markup, single spaces: how two writings of one item are matched. */
export function sameText(value: string): string {
  return value
    .toLowerCase()
    .replace(/[`*_~[\]()]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** This run's items first (done ones included), then earlier items still open, oldest first. */
export function actionRows(current: TeamNotes | undefined, earlier: ReadonlyArray<{ runId: string; notes: TeamNotes }>): ActionRow[] {
  const open = new Map<string, ActionRow>();
  for (const { runId, notes } of earlier) {
    for (const item of notes.actions) {
      const key = sameText(item.text);
      const seen = open.get(key);
      open.set(key, { ...seen, ...withoutEmpty(item), carriedFrom: seen?.carriedFrom ?? runId });
    }
  }
  const own = (current?.actions ?? []).map((item) => ({ ...item }));
  const ownKeys = new Set(own.map((a) => sameText(a.text)));
  const carried = [...open.entries()].filter(([key, a]) => !a.done && !ownKeys.has(key)).map(([, a]) => a);
  return [...own, ...carried];
}

function withoutEmpty(item: ActionItem): ActionItem {
  const out: ActionItem = { text: item.text, done: item.done };
  if (item.owner) out.owner = item.owner;
  if (item.due) out.due = item.due;
  return out;
}
