/**
 * What the CLI prints. Drill text, probe output, process command lines and error messages can hold
 * characters that drive a terminal; everything written here passes text/printable.ts first, and
 * JSON documents are written with those characters as JSON escapes (the same value, no raw bytes).
 */
import { jsonSafe, printable } from '../text/printable.js';

/** Writes text to stdout with every hidden or terminal-controlling character spelled out. */
export function printOut(text: string): void {
  process.stdout.write(printable(text));
}

/** Writes text to stderr with every hidden or terminal-controlling character spelled out. */
export function printErr(text: string): void {
  process.stderr.write(printable(text));
}

/** A JSON document for stdout: two-space indented, hidden characters as `\uXXXX`. */
export function jsonText(value: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  return `${jsonSafe(JSON.stringify(value, replacer, 2))}\n`;
}
