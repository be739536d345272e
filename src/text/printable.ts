/**
 * User text made safe to show: drill names, descriptions, commands, variables, probe output and
 * errors from the systems under test may hold characters that drive a terminal (ESC, BEL, CSI),
 * hide or rewrite what is shown (NUL, CR, backspace, the bidi overrides that reorder a line,
 * U+202E), or break a format (XML 1.0 forbids most C0 controls). Every edge that shows such text —
 * each report, the log and the terminal — passes it through one of these functions, so what the
 * reader sees is the text's exact content, spelled out: `\x1b[31m`, `\r`, `\u202e`.
 */

/**
 * C0 controls except tab, line feed and the CR of a CRLF line break, DEL, C1 controls, and the
 * Unicode format characters that change the order or direction of what is shown (marks,
 * embeddings, overrides, isolates) or break a line where no line break is seen.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const HIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

/** Whether `text` holds a character that {@link printable} would spell out. */
export function hasHiddenChars(text: string): boolean {
  HIDDEN_CHARS.lastIndex = 0;
  const found = HIDDEN_CHARS.test(text);
  HIDDEN_CHARS.lastIndex = 0;
  return found;
}

const NAMED: Record<string, string> = { '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0' };

function spelled(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every hidden or terminal-controlling character spelled out; tabs and line breaks (LF, CRLF) stay. */
export function printable(text: string): string {
  return text.replace(HIDDEN_CHARS, spelled);
}

/** {@link printable} for one line of a screen: line breaks and tabs become spaces, so a text cannot add lines or columns the layout did not count. */
export function printableLine(text: string): string {
  return printable(text).replace(/\r?\n|\t/g, ' ');
}

/**
 * JSON text whose strings keep their exact content but whose bytes hold no hidden character:
 * `JSON.stringify` escapes C0 controls itself and leaves DEL, C1 and the bidi controls raw; this
 * writes those as `\uXXXX` escapes too, so the document parses to the same value.
 */
export function jsonSafe(json: string): string {
  return json.replace(HIDDEN_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of a plain JSON-like value (objects, arrays, strings...) with `fn` applied to every string, keys included. */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, fn)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = mapStrings(v, fn);
    return out as T;
  }
  return value;
}
