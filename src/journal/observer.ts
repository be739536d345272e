/**
 * Hooks for whoever watches a journal being written live (the console, metrics, the control
 * endpoint). All optional, like vitest reporters. The runner calls them as it records.
 */
import type { FaultRecord, Journal, JournalEvent, JournalPhaseName, KillSwitchRecord, Sample } from './types.js';

export interface RunObserver {
  onEvent?(event: JournalEvent): void;
  onPhaseStart?(phase: JournalPhaseName, plannedMs: number, startT: number): void;
  onSample?(sample: Sample): void;
  onFault?(fault: FaultRecord): void;
  onKillSwitch?(record: KillSwitchRecord): void;
  onFinished?(journal: Journal): void;
}

/** Fans one call out to many observers; an observer that throws never disturbs the run. */
export function combineObservers(observers: readonly RunObserver[]): Required<RunObserver> {
  const call = <K extends keyof RunObserver>(key: K, ...args: Parameters<NonNullable<RunObserver[K]>>) => {
    for (const o of observers) {
      try {
        (o[key] as ((...a: typeof args) => void) | undefined)?.(...args);
      } catch {
        // a broken display must not break a revert
      }
    }
  };
  return {
    onEvent: (...a) => call('onEvent', ...a),
    onPhaseStart: (...a) => call('onPhaseStart', ...a),
    onSample: (...a) => call('onSample', ...a),
    onFault: (...a) => call('onFault', ...a),
    onKillSwitch: (...a) => call('onKillSwitch', ...a),
    onFinished: (...a) => call('onFinished', ...a),
  };
}
