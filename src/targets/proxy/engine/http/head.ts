/** Parses HTTP/1.x message heads (start line + header fields) as the proxy sees them on the wire. */

export interface RequestHead {
  readonly kind: 'request';
  readonly method: string;
  /** the request-target as sent: `/path?q`, `http://host/path`, `*` or `host:port` */
  readonly target: string;
  readonly minorVersion: 0 | 1;
  /** header fields in order, names lower-cased */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface ResponseHead {
  readonly kind: 'response';
  readonly status: number;
  readonly minorVersion: 0 | 1;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([^\s]+) HTTP\/1\.([01])$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;

/** Cheap check that a chunk starts with a request line (used to find a message boundary). */
export function looksLikeRequestStart(chunk: Buffer): boolean {
  const text = chunk.toString('latin1', 0, Math.min(chunk.length, 2048));
  return /^[A-Z]{1,20} [^\s]+ HTTP\/1\.[01]\r?\n/.test(text);
}

/** Cheap check that a chunk starts with a status line. */
export function looksLikeResponseStart(chunk: Buffer): boolean {
  return /^HTTP\/1\.[01] \d{3}[ \r\n]/.test(chunk.toString('latin1', 0, Math.min(chunk.length, 32)));
}

function parseFields(lines: readonly string[]): Array<[string, string]> | undefined {
  const fields: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    // obsolete line folding and whitespace before the colon are errors a proxy must not guess at
    if (!TOKEN.test(name)) return undefined;
    fields.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

function splitHead(head: Buffer): string[] {
  // latin1 keeps every byte as one char, so lengths and offsets stay byte-exact
  return head.toString('latin1').replace(/\r\n\r\n$/, '').split('\r\n');
}

/** Parses a request head (ending in CRLF CRLF); undefined when it is not one. */
export function parseRequestHead(head: Buffer): RequestHead | undefined {
  const [start, ...lines] = splitHead(head);
  const m = REQUEST_LINE.exec(start ?? '');
  const headers = parseFields(lines);
  if (!m || !headers) return undefined;
  return { kind: 'request', method: m[1] as string, target: m[2] as string, minorVersion: m[3] === '0' ? 0 : 1, headers };
}

/** Parses a response head (ending in CRLF CRLF); undefined when it is not one. */
export function parseResponseHead(head: Buffer): ResponseHead | undefined {
  const [start, ...lines] = splitHead(head);
  const m = STATUS_LINE.exec(start ?? '');
  const headers = parseFields(lines);
  if (!m || !headers) return undefined;
  return { kind: 'response', status: Number(m[2]), minorVersion: m[1] === '0' ? 0 : 1, headers };
}

/** All values of a header (names are lower-case). */
export function headerValues(head: RequestHead | ResponseHead, name: string): string[] {
  return head.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** The comma-separated tokens of a header, lower-cased (`Connection: keep-alive, Upgrade`). */
export function headerTokens(head: RequestHead | ResponseHead, name: string): string[] {
  return headerValues(head, name)
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** How a message body is delimited (RFC 9112 §6). */
export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  | { kind: 'until-close' }
  | { kind: 'tunnel' }
  | { kind: 'invalid' };

function lengthPlan(head: RequestHead | ResponseHead, otherwise: BodyPlan): BodyPlan {
  const te = headerTokens(head, 'transfer-encoding');
  if (te.length > 0) {
    if (te[te.length - 1] === 'chunked') return { kind: 'chunked' };
    // a request whose last coding is not chunked cannot be framed; a response runs to close
    return head.kind === 'request' ? { kind: 'invalid' } : { kind: 'until-close' };
  }
  const lengths = [...new Set(headerValues(head, 'content-length').flatMap((v) => v.split(',').map((s) => s.trim())))];
  if (lengths.length === 0) return otherwise;
  if (lengths.length > 1 || !/^\d{1,15}$/.test(lengths[0] as string)) return { kind: 'invalid' };
  const length = Number(lengths[0]);
  return length === 0 ? { kind: 'none' } : { kind: 'length', length };
}

/** The body of a request. CONNECT and upgrade requests turn the connection into a tunnel. */
export function requestBodyPlan(head: RequestHead): BodyPlan {
  if (head.method === 'CONNECT') return { kind: 'tunnel' };
  if (headerValues(head, 'upgrade').length > 0) return { kind: 'tunnel' };
  return lengthPlan(head, { kind: 'none' });
}

/** The body of a response to a request with `method`. */
export function responseBodyPlan(head: ResponseHead, method: string | undefined): BodyPlan {
  if (head.status === 101) return { kind: 'tunnel' };
  if (method === 'CONNECT' && head.status >= 200 && head.status < 300) return { kind: 'tunnel' };
  if (method === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 304) return { kind: 'none' };
  return lengthPlan(head, { kind: 'until-close' });
}

/** True when the client asked to close after this request (or spoke HTTP/1.0 without keep-alive). */
export function wantsClose(head: RequestHead): boolean {
  const tokens = headerTokens(head, 'connection');
  if (tokens.includes('close')) return true;
  return head.minorVersion === 0 && !tokens.includes('keep-alive');
}
