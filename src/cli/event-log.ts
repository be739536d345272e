/** Logs every journal event (the non-TTY view: one JSON line per event for pipelines). */
import type { JournalEvent } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { RunObserver } from '../journal/observer.js';

const LEVEL: Partial<Record<JournalEvent['type'], 'warn' | 'error'>> = {
  'kill-switch': 'warn',
  abort: 'warn',
  warning: 'warn',
  'inject-failed': 'error',
  'revert-failed': 'error',
};

export function eventLog(logger: Logger): RunObserver {
  return {
    onEvent(event) {
      const level = LEVEL[event.type] ?? 'info';
      logger[level]({ event: event.type, t: event.t, phase: event.phase, ...event.data }, event.message);
    },
  };
}
