/** Short, single-line failure reasons shared by every probe kind. */
import { formatDurationMs } from '../drill/duration.js';

const MAX_LINE = 200;

/** `timeout after 1s`, `timeout after 250ms`. */
export function timeoutReason(timeoutMs: number): string {
  return `timeout after ${formatDurationMs(timeoutMs)}`;
}

/** The first non-empty line of `text`, trimmed and cut to a readable length. */
export function firstLine(text: string, max = MAX_LINE): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Prefers the system error code (`ECONNREFUSED`) because it is stable and short; else the message's first line. */
export function shortReason(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return firstLine(message);
  }
  return firstLine(String(error)) || 'unknown error';
}
