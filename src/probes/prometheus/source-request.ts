/**
 * One GET to a metrics source (a Prometheus or Alertmanager API, a /metrics page), bounded in time
 * and in size. It never rejects: a source that cannot be reached is an answer too.
 */
import http from 'node:http';
import https from 'node:https';
import { shortReason, timeoutReason } from '../reason.js';

/** /metrics pages of big services run to megabytes; anything beyond this is not a metrics page. */
export const SOURCE_BODY_CAP_BYTES = 16 * 1024 * 1024;

export type SourceAnswer =
  | { kind: 'answer'; status: number; contentType: string; body: string; latencyMs: number }
  | { kind: 'unreachable'; error: string; latencyMs: number }
  | { kind: 'too-large'; status: number; latencyMs: number }
  | { kind: 'aborted'; latencyMs: number };

export interface SourceRequest {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  maxBytes?: number;
}

/** GETs `url`; resolves within about `timeoutMs` (or at once when `signal` aborts). */
export function getSource({ url, headers, timeoutMs, signal, maxBytes = SOURCE_BODY_CAP_BYTES }: SourceRequest): Promise<SourceAnswer> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  if (signal.aborted) return Promise.resolve({ kind: 'aborted', latencyMs: 0 });
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({ kind: 'unreachable', error: `unsupported protocol ${url.protocol}`, latencyMs: 0 });
  }
  return new Promise<SourceAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: SourceAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(answer);
    };
    const transport = url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      // a fresh connection per check: a pooled socket to a source that just died would hide it
      request = transport.request(url, { method: 'GET', headers, agent: false }, onResponse);
    } catch (error) {
      resolve({ kind: 'unreachable', error: shortReason(error), latencyMs: 0 });
      return;
    }
    request.on('error', (error) => finish({ kind: 'unreachable', error: shortReason(error), latencyMs: elapsed() }));
    const timer = setTimeout(() => finish({ kind: 'unreachable', error: timeoutReason(timeoutMs), latencyMs: elapsed() }), timeoutMs);
    const onAbort = (): void => finish({ kind: 'aborted', latencyMs: elapsed() });
    signal.addEventListener('abort', onAbort, { once: true });
    request.end();

    function onResponse(response: http.IncomingMessage): void {
      const status = response.statusCode ?? 0;
      const contentType = String(response.headers['content-type'] ?? '');
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish({ kind: 'too-large', status, latencyMs: elapsed() });
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ kind: 'answer', status, contentType, body: Buffer.concat(chunks).toString('utf8'), latencyMs: elapsed() }));
      response.on('error', (error) => finish({ kind: 'unreachable', error: shortReason(error), latencyMs: elapsed() }));
    }
  });
}
