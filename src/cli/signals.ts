/**
 * Ctrl-C, SIGTERM and SIGHUP abort the run; the run then reverts. A second signal does not skip the
 * revert: firedrill says it is reverting and keeps going (every undo is bounded by its timeout).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalTrap {
  signal: AbortSignal;
  /** aborts like a first signal would (the control endpoint uses it) */
  abort(reason: string): void;
  release(): void;
}

export function trapSignals(say: (message: string) => void): SignalTrap {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      say(`${sig}: stopping the drill and reverting every fault…`);
      controller.abort(`received ${sig}`);
    } else {
      say(`${sig} again: still reverting — firedrill does not exit while a fault may be in place (each undo has a timeout)`);
    }
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    release: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
