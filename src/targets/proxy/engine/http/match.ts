/** Which requests an HTTP fault touches: method, path prefix and headers, all of which must match. */
import type { HttpMatch } from '../schema.js';
import { headerValues, type RequestHead } from './head.js';

export type RequestMatcher = (head: RequestHead) => boolean;

/** The path of a request-target without query or fragment (`http://h/p?q` → `/p`). */
export function targetPath(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(path);
    if (!scheme) return path; // `*` or authority-form
    path = path.slice(scheme[0].length) || '/';
  }
  const cut = path.search(/[?#]/);
  return cut < 0 ? path : path.slice(0, cut);
}

/** True when `path` is `prefix` or lies below it (`/checkout` covers `/checkout/pay`, not `/checkouts`). */
export function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '/' || path === prefix) return true;
  return prefix.endsWith('/') ? path.startsWith(prefix) : path.startsWith(`${prefix}/`);
}

function valueTest(expected: string): (value: string) => boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  if (re) {
    const pattern = new RegExp(re[1] as string, re[2]);
    return (v) => pattern.test(v);
  }
  return (v) => v === expected;
}

/** Compiles a match once, so each request costs only the comparisons. */
export function compileMatch(match: HttpMatch): RequestMatcher {
  const methods = match.method ? new Set(match.method) : undefined;
  const prefix = match.pathPrefix;
  const headers = Object.entries(match.headers ?? {}).map(([name, value]) => ({ name: name.toLowerCase(), test: valueTest(value) }));
  return (head) => {
    if (methods && !methods.has(head.method)) return false;
    if (prefix !== undefined && !pathUnder(targetPath(head.target), prefix)) return false;
    return headers.every((h) => headerValues(head, h.name).some(h.test));
  };
}
