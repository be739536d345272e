/**
 * One bounded, cancellable request to the engine, with errors turned into `FiredrillError`s that
 * say what failed and where: an engine that does not answer is a different problem from an engine
 * that refuses (a missing container, a conflict), and the message tells the two apart.
 */
import { FiredrillError, type ErrorCode } from '../errors.js';
import type { Engine } from './engine.js';

/** Longest a single engine request may take unless the caller says otherwise. */
export const ENGINE_CALL_TIMEOUT_MS = 15_000;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The HTTP status of an engine error (404 no such container, 409 conflict, 304 not modified). */
export function engineStatus(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || !('statusCode' in e)) return undefined;
  const status = (e as { statusCode: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True when `e` is an engine refusal with this HTTP status (e.g. 404: no such container). */
export function refusedWith(e: unknown, status: number): boolean {
  return e instanceof FiredrillError ? e.details.status === status : engineStatus(e) === status;
}

/** True when the error says the engine is not there (as opposed to refusing a request). */
export function isEngineUnreachable(e: unknown): boolean {
  if (e instanceof FiredrillError) return e.details.unreachable === true;
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

/** The engine's own words for a refused request (`No such container: x`), or the error's message. */
function engineMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'json' in e) {
    const json = (e as { json: unknown }).json;
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') return json.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `request` with its own abort signal, bounded by `timeoutMs` and by `signal`.
 * Every failure becomes a FiredrillError with `code`; details carry `status` and `unreachable`.
 */
export async function engineCall<T>(
  engine: Engine,
  what: string,
  code: ErrorCode,
  signal: AbortSignal,
  request: (abortSignal: AbortSignal) => Promise<T>,
  timeoutMs = ENGINE_CALL_TIMEOUT_MS,
): Promise<T> {
  signal.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const abortSignal = AbortSignal.any([signal, timeout]);
  try {
    // the race guards against a transport that ignores the abort signal
    return await Promise.race([request(abortSignal), rejectOnAbort(abortSignal)]);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw new FiredrillError(code, `the Docker engine at ${engine.address} did not ${what} within ${timeoutMs} ms`, { engine: engine.address, unreachable: true });
    }
    if (isEngineUnreachable(e)) {
      throw new FiredrillError(
        code,
        `no Docker engine answers at ${engine.address} (${engineMessage(e)}); start it (dockerd) or point DOCKER_HOST at one`,
        { engine: engine.address, unreachable: true },
        { cause: e },
      );
    }
    const status = engineStatus(e);
    throw new FiredrillError(code, `the Docker engine refused to ${what}: ${engineMessage(e)}`, { engine: engine.address, ...(status !== undefined ? { status } : {}) }, { cause: e });
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
