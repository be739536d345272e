/** The HTTP probe: one request, its status, optionally a regex over the first 64 KiB of the body. */
import http from 'node:http';
import https from 'node:https';
import type { ProbeSpec } from '../../drill/schema.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { compilePattern } from '../pattern.js';
import { firstLine, shortReason, timeoutReason } from '../reason.js';
import { statusMatches, type ExpectStatus } from './expect-status.js';

export type HttpProbeSpec = NonNullable<ProbeSpec['http']>;

/** Enough for any health payload; a probe must not buffer an endless stream. */
export const BODY_CAP_BYTES = 64 * 1024;

type Outcome = Omit<ProbeResult, 'latencyMs'>;

/** Runs one HTTP check; resolves within about `timeoutMs` and never rejects. */
async function check(spec: HttpProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  if (signal.aborted) return { ok: false, latencyMs: 0, error: 'aborted' };
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return { ok: false, latencyMs: 0, error: `invalid url ${spec.url}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, latencyMs: 0, error: `unsupported protocol ${url.protocol}` };
  }
  const pattern = spec.bodyMatch === undefined ? undefined : compilePattern(spec.bodyMatch, 'bodyMatch');
  if (pattern && !pattern.ok) return { ok: false, latencyMs: 0, error: pattern.error };
  const bodyRegex = pattern?.regex;

  return new Promise<ProbeResult>((resolve) => {
    const started = performance.now();
    let settled = false;
    let status: number | undefined;

    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      const latencyMs = performance.now() - started;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // the answer is decided; tearing down the socket also stops an over-long body
      request.destroy();
      resolve({ ...outcome, ...(status === undefined ? {} : { status }), latencyMs });
    };

    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined && !hasHeader(headers, 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(spec.body));
    }
    const transport = url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      // agent: false gives every check a fresh connection, so a stalled server shows as a stall
      request = transport.request(url, { method: spec.method, headers, agent: false }, onResponse);
    } catch (error) {
      // e.g. a header value with a newline: node refuses it before any I/O
      resolve({ ok: false, latencyMs: 0, error: shortReason(error) });
      return;
    }
    request.on('error', (error) => finish({ ok: false, error: shortReason(error) }));
    const timer = setTimeout(() => finish({ ok: false, error: timeoutReason(timeoutMs) }), timeoutMs);
    const onAbort = (): void => finish({ ok: false, error: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    request.end(spec.body);

    function onResponse(response: http.IncomingMessage): void {
      status = response.statusCode;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = BODY_CAP_BYTES - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.length, room);
        if (size >= BODY_CAP_BYTES) finish(judge(status, Buffer.concat(chunks).toString('utf8'), spec.expectStatus, bodyRegex));
      });
      response.on('end', () => finish(judge(status, Buffer.concat(chunks).toString('utf8'), spec.expectStatus, bodyRegex)));
      response.on('error', (error) => finish({ ok: false, error: shortReason(error) }));
    }
  });
}

/** Decides a complete (or capped) answer: status first, then the body pattern. */
function judge(status: number | undefined, body: string, expectStatus: ExpectStatus, bodyRegex: RegExp | undefined): Outcome {
  const detail = firstLine(body);
  const withDetail = detail === '' ? {} : { detail };
  if (status === undefined || !statusMatches(status, expectStatus)) {
    return { ok: false, error: `status ${status ?? 'missing'}`, ...withDetail };
  }
  if (bodyRegex && !bodyRegex.test(body)) {
    return { ok: false, error: `body does not match /${bodyRegex.source}/`, ...withDetail };
  }
  return { ok: true };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export const httpProber: Prober<HttpProbeSpec> = {
  kind: 'http',
  describe: (p) => {
    const status = Array.isArray(p.expectStatus) ? p.expectStatus.join(' or ') : String(p.expectStatus);
    // header names only: their values may be secrets
    const names = Object.keys(p.headers ?? {});
    const sends = [
      ...(names.length > 0 ? [`${names.length === 1 ? 'header' : 'headers'} ${names.join(', ')}`] : []),
      ...(p.body === undefined ? [] : [`a ${Buffer.byteLength(p.body)}-byte body`]),
    ];
    return `${p.method} ${p.url}${sends.length > 0 ? ` with ${sends.join(' and ')}` : ''} expecting ${status}${p.bodyMatch ? ` and a body matching /${p.bodyMatch}/` : ''}`;
  },
  check,
};
