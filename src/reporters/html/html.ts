/**
 * Safe HTML by construction: the `html` template escapes every interpolated value unless it is
 * already `Html` (built by this same template). User text cannot become markup by forgetting to
 * escape it; the only way in raw is `trusted()`, used for our own static assets.
 */

import { printable } from '../../text/printable.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A fragment of markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

/** Text for HTML content and quoted attribute values; hidden characters spelled out (text/printable.ts). */
export function escapeHtml(value: string): string {
  return printable(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Markup with every value escaped (arrays joined, null/undefined/booleans dropped). */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Our own static markup, CSS or script (never user text). */
export function trusted(value: string): Html {
  return new Html(value);
}

/** An href that can only point to a relative path (never `javascript:` or another origin); undefined otherwise. */
export function relativeHref(path: string): string | undefined {
  return /^(\.\.?\/)?[\w.\-/]+$/.test(path) && !path.startsWith('/') && !path.includes('//') ? path : undefined;
}
