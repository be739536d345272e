/**
 * Escaping user text for Markdown. Drill names, descriptions, commands and probe errors come from
 * users and from the systems under test; none of them may add markup, break a table, or smuggle
 * raw HTML into a viewer that renders it, and no control or bidi character reaches the file raw:
 * each is spelled out first (text/printable.ts), so a CR reads `\r`, not a line break.
 */
import { printable } from '../../text/printable.js';

// CommonMark lets every ASCII punctuation character be backslash-escaped; these are the ones that
// open or close markup anywhere in a line (emphasis, code, links, raw HTML, table cells,
// strikethrough, entities). `>`, `#`, `+`, `-` and `=` only matter at the start of a line.
const ACTIVE = /[\\`*_[\]<|~&]/g;
const LINE_START = /^(\s*)([>#+=-])/;
const LIST_NUMBER = /^(\s*\d+)([.)])(?=\s|$)/;

function escapeInline(value: string): string {
  return value.replace(ACTIVE, (c) => `\\${c}`);
}

/** Plain text for flowing Markdown: markup characters escaped, line breaks become spaces. */
export function text(value: string): string {
  return escapeInline(printable(value).replace(/\r\n?|\n/g, ' '))
    .replace(LINE_START, (_, space: string, mark: string) => `${space}\\${mark}`)
    .replace(LIST_NUMBER, (_, number: string, mark: string) => `${number}\\${mark}`);
}

/** Plain text for a table cell (never at the start of a line): line breaks stay visible as `<br>`. */
export function cell(value: string): string {
  return printable(value).split(/\r?\n/).map(escapeInline).join('<br>');
}

/** A code span; `inTable` escapes pipes, which GFM tables split on even inside code. */
export function code(value: string, inTable = false): string {
  const flat = printable(value).replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block that no line of `lines` can close early. */
export function codeBlock(lines: readonly string[], lang = ''): string[] {
  const shown = lines.map((l) => printable(l).replace(/\r?\n/g, ' '));
  const longestRun = Math.max(2, ...shown.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}${lang}`, ...shown, fence];
}
