/** User regexes from a drill (`bodyMatch`, `stdoutMatch`), compiled without throwing. */

export type CompiledPattern = { ok: true; regex: RegExp } | { ok: false; error: string };

/** Compiles `source`; a bad pattern becomes a reason (`invalid bodyMatch /(/`) instead of an exception. */
export function compilePattern(source: string, field: string): CompiledPattern {
  try {
    return { ok: true, regex: new RegExp(source) };
  } catch {
    return { ok: false, error: `invalid ${field} /${source}/` };
  }
}
