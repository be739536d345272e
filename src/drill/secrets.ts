/** Secret values (`${secret:NAME}`) are masked in every string that leaves the runner. */

export const MASK = '***';

export class Redactor {
  readonly #values = new Set<string>();

  /** Registers a secret value; very short values are masked too, but never the empty string. */
  add(value: string): void {
    if (value.length > 0) this.#values.add(value);
  }

  get size(): number {
    return this.#values.size;
  }

  /** Replaces every secret value inside `text` with `***`. */
  redact(text: string): string {
    let out = text;
    // longest first, so a secret that contains another is masked whole
    for (const v of [...this.#values].sort((a, b) => b.length - a.length)) {
      if (out.includes(v)) out = out.split(v).join(MASK);
      // JSON-escaped form, for values with quotes or backslashes inside serialized output
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v && out.includes(escaped)) out = out.split(escaped).join(MASK);
    }
    return out;
  }

  /** Deep-redacts a JSON-compatible value. */
  redactValue<T>(value: T): T {
    if (this.#values.size === 0) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
