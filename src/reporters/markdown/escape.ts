/**
 * Escaping user text for Markdown. Drill names, descriptions, commands and probe errors come from
 * users and from the systems under test; none of them may add markup, break a table, or smuggle
 * raw HTML into a viewer that renders it.
 */

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
  return escapeInline(value.replace(/\r\n?|\n/g, ' '))
    .replace(LINE_START, (_, space: string, mark: string) => `${space}\\${mark}`)
    .replace(LIST_NUMBER, (_, number: string, mark: string) => `${number}\\${mark}`);
}

/** Plain text for a table cell (never at the start of a line): line breaks stay visible as `<br>`. */
export function cell(value: string): string {
  return value.split(/\r\n?|\n/).map(escapeInline).join('<br>');
}

/** A code span; `inTable` escapes pipes, which GFM tables split on even inside code. */
export function code(value: string, inTable = false): string {
  const flat = value.replace(/\r\n?|\n/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block that no line of `lines` can close early. */
export function codeBlock(lines: readonly string[], lang = ''): string[] {
  const longestRun = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}${lang}`, ...lines.map((l) => l.replace(/\r\n?|\n/g, ' ')), fence];
}
