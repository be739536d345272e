/** `/source/flags` written in a drill → RegExp; shared by process matching and log readiness. */
import { FiredrillError } from '../errors.js';

const LITERAL = /^\/(.+)\/([a-z]*)$/s;

/** True when the text is written with slashes, i.e. meant as a regular expression. */
export function isRegexLiteral(text: string): boolean {
  return LITERAL.test(text);
}

/**
 * Compiles `/source/flags`, or the whole text as the source when it has no slashes.
 * Stateful flags (g, y) are dropped: the result is used with `test()` on many strings.
 */
export function compileRegex(text: string, where: string): RegExp {
  const m = LITERAL.exec(text);
  const source = m ? (m[1] as string) : text;
  const flags = m ? (m[2] as string).replace(/[gy]/g, '') : '';
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new FiredrillError(
      'FD_DRILL_INVALID',
      `${where}: ${JSON.stringify(text)} is not a valid regular expression (${e instanceof Error ? e.message : String(e)}); fix the pattern or drop the slashes to match plain text`,
      { where, pattern: text },
    );
  }
}
