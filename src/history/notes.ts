/**
 * The team's notes on a run: a small Markdown file (format in docs/reports.md) with `## Actions`,
 * `## 5 Whys`, `## Pre-mortem` and any other sections. Parsing is forgiving: what it does not
 * recognise is kept as text, never dropped, and nothing in it can fail a report.
 */
import { readFile } from 'node:fs/promises';
import { FiredrillError } from '../errors.js';
import type { ActionItem, PremortemAnswer, TeamNotes, TeamWhyChain } from '../reporters/aar/context.js';

type Kind = 'actions' | 'whys' | 'premortem' | 'other';

const CHECKBOX = /^\s*[-*+]\s+\[( |x|X)\]\s*(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const FIELD = /(?:^|[\s,;|—–(])(owner|due)\s*:\s*([^,;|—–()]*[^,;|—–()\s])/gi;
const HAPPENED = /(?:^|[\s,;|—–(])happened\s*:\s*(.*)$/i;
const PLACEHOLDER = /^(why\??\s*)?(…|\.\.\.)?$/i;

/** Reads and parses a notes file. */
export async function readNotes(path: string): Promise<TeamNotes> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new FiredrillError('FD_USAGE', `cannot read the notes file ${path}; pass a Markdown file with the team's findings (see docs/reports.md)`, { path });
  }
  return parseNotes(text, path);
}

/** Parses notes text; `source` names it in the report. */
export function parseNotes(text: string, source: string): TeamNotes {
  const notes: TeamNotes = { source, actions: [], premortem: [], whys: [], sections: [] };
  let kind: Kind = 'other';
  let other: { title: string; lines: string[] } | undefined;
  let chain: TeamWhyChain | undefined;
  for (const raw of text.split(/\r\n?|\n/)) {
    const line = raw.replace(/\s+$/, '');
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading && (heading[1] ?? '').length <= 2) {
      if ((heading[1] ?? '').length === 1) continue; // the document title
      const title = (heading[2] ?? '').trim();
      kind = sectionKind(title);
      chain = undefined;
      other = undefined;
      if (kind === 'other') {
        other = { title, lines: [] };
        notes.sections.push(other);
      }
      continue;
    }
    switch (kind) {
      case 'actions': {
        const item = actionItem(line);
        if (item) notes.actions.push(item);
        break;
      }
      case 'premortem': {
        const mark = premortemMark(line);
        if (mark) notes.premortem.push(mark);
        break;
      }
      case 'whys':
        chain = whyLine(line, heading?.[2], chain, notes.whys);
        break;
      default:
        if (!other) {
          other = { title: 'Notes', lines: [] };
          notes.sections.push(other);
        }
        other.lines.push(heading ? (heading[2] ?? '') : line);
    }
  }
  for (const s of notes.sections) trimBlank(s.lines);
  notes.sections = notes.sections.filter((s) => s.lines.length > 0);
  return notes;
}

function sectionKind(title: string): Kind {
  const t = title.toLowerCase();
  if (/\bactions?\b|action items?/.test(t)) return 'actions';
  if (/\b(5|five)\s*whys?\b/.test(t)) return 'whys';
  if (/pre-?\s?mortem/.test(t)) return 'premortem';
  return 'other';
}

/** `key: value` fields out of a line, and the text before the first of them. */
function fields(text: string): { text: string; values: Map<string, string> } {
  const values = new Map<string, string>();
  let first = text.length;
  for (const m of text.matchAll(FIELD)) {
    values.set((m[1] ?? '').toLowerCase(), (m[2] ?? '').trim());
    first = Math.min(first, m.index ?? first);
  }
  const head = text.slice(0, first).replace(/[\s,;|—–(-]+$/, '').trim();
  return { text: head, values };
}

function actionItem(line: string): ActionItem | undefined {
  const row = tableRow(line);
  if (row) return row;
  const box = CHECKBOX.exec(line);
  const bullet = box ? undefined : BULLET.exec(line);
  const body = box?.[2] ?? bullet?.[1];
  if (body === undefined) return undefined;
  const { text, values } = fields(body);
  if (!text) return undefined;
  const item: ActionItem = { text, done: box ? box[1] !== ' ' : false };
  const owner = values.get('owner');
  const due = values.get('due');
  if (owner) item.owner = owner;
  if (due) item.due = due;
  return item;
}

/** `| action | owner | due | done |` rows, as the Markdown report's action table is laid out. */
function tableRow(line: string): ActionItem | undefined {
  if (!/^\s*\|.*\|\s*$/.test(line)) return undefined;
  const cells = line.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
  const [text, owner, due, done] = cells;
  if (!text || /^:?-+:?$/.test(text) || text.toLowerCase() === 'action') return undefined;
  const item: ActionItem = { text, done: /^(x|yes|done|✓|✔|true)$/i.test(done ?? '') };
  if (owner) item.owner = owner;
  if (due) item.due = due;
  return item;
}

function premortemMark(line: string): TeamNotes['premortem'][number] | undefined {
  const box = CHECKBOX.exec(line);
  const bullet = box ? undefined : BULLET.exec(line);
  const body = box?.[2] ?? bullet?.[1];
  if (body === undefined) return undefined;
  const at = HAPPENED.exec(body);
  const text = (at ? body.slice(0, at.index) : body).replace(/[\s,;|—–(-]+$/, '').trim();
  if (!text) return undefined;
  const answer = (at?.[1] ?? '').replace(/\)\s*$/, '').trim();
  // the report's own template, `happened: yes / no / partly`, is an unanswered mark
  const said = /^yes\s*\/\s*no\b/i.test(answer) ? null : /^(yes|no|partly)\b/i.exec(answer);
  const happened: PremortemAnswer | null = said ? (said[1]?.toLowerCase() as PremortemAnswer) : box && box[1] !== ' ' ? 'yes' : null;
  const mark: TeamNotes['premortem'][number] = { text, happened };
  const rest = said ? answer.slice(said[0].length).replace(/^[\s:,;.—–-]+/, '') : '';
  if (rest) mark.note = rest;
  return mark;
}

/** Collects 5 Whys chains: a `###` heading or `Starting from:` opens one, numbered lines answer, `Root ...:` closes. */
function whyLine(line: string, subheading: string | undefined, chain: TeamWhyChain | undefined, chains: TeamWhyChain[]): TeamWhyChain | undefined {
  const start = subheading ?? /^\s*(?:\*\*)?starting from:?(?:\*\*)?:?\s*(.+)$/i.exec(line)?.[1];
  if (start !== undefined) {
    const next: TeamWhyChain = { problem: start.trim(), answers: [] };
    chains.push(next);
    return next;
  }
  if (!chain) return chain;
  const root = /^\s*(?:\*\*)?root (?:condition|cause)s?:?(?:\*\*)?:?\s*(.*)$/i.exec(line);
  if (root) {
    const text = (root[1] ?? '').trim();
    if (text && !PLACEHOLDER.test(text)) chain.root = text;
    return chain;
  }
  const answer = NUMBERED.exec(line)?.[1]?.replace(/^why\?\s*/i, '').trim();
  if (answer && !PLACEHOLDER.test(answer)) chain.answers.push(answer);
  return chain;
}

function trimBlank(lines: string[]): void {
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
}
