/**
 * Ctrl-C, SIGTERM and SIGHUP abort the run; the run then reverts. A further signal changes nothing
 * the run still has to do: during the revert firedrill says it is reverting and keeps going (every
 * undo is bounded by its timeout); after the revert it says the reports are being written, and the
 * run still ends with its own exit code (3 for an abort), never the shell's 130. Once the run is
 * settled (reports written, verdict printed) a signal ends the process at once with that code.
 * The first signal aborts before anything is printed: the abort's listener sends the first undo
 * within this call, and the message follows.
 */
import { mark } from '../observability/revert-timeline.js';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalTrap {
  signal: AbortSignal;
  /** aborts like a first signal would (the control endpoint uses it) */
  abort(reason: string): void;
  /** every fault is reverted (or shouted about): what is left is writing the reports */
  reverted(): void;
  /** reports written and the verdict printed: a signal now ends the process with `exitCode` */
  settle(exitCode: number): void;
  /** removes the handlers (the run never started, or a test is done with the trap) */
  release(): void;
}

type Stage = 'running' | 'reverting' | 'reporting' | 'settled';

export function trapSignals(say: (message: string) => void, exit: (code: number) => void = (code) => process.exit(code)): SignalTrap {
  const controller = new AbortController();
  let stage: Stage = 'running';
  let settledCode = 0;
  const handler = (sig: NodeJS.Signals) => {
    mark(`signal ${sig}`);
    switch (stage) {
      case 'running':
        stage = 'reverting';
        controller.abort(`received ${sig}`);
        say(`${sig}: stopping the drill and reverting every fault…`);
        return;
      case 'reverting':
        say(`${sig} again: still reverting — firedrill does not exit while a fault may be in place (each undo has a timeout)`);
        return;
      case 'reporting':
        say(`${sig}${controller.signal.aborted ? ' again' : ''}: the revert is over; writing the reports, then firedrill exits with the run's own exit code`);
        return;
      case 'settled':
        // the reports are written and the verdict printed: nothing is lost by ending now
        exit(settledCode);
    }
  };
  // A settled run whose event loop has drained ends through `exit` too: on a natural exit Node
  // closes its signal handles (the default action, death by signal, is back) before the process
  // is gone, and a Ctrl-C in that moment would end the run with the shell's 130, not its own code
  const onDrained = () => exit(settledCode);
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    abort: (reason) => {
      if (stage === 'running') stage = 'reverting';
      if (!controller.signal.aborted) controller.abort(reason);
    },
    reverted: () => {
      if (stage === 'running' || stage === 'reverting') stage = 'reporting';
    },
    settle: (exitCode) => {
      stage = 'settled';
      settledCode = exitCode;
      process.off('beforeExit', onDrained);
      process.once('beforeExit', onDrained);
    },
    release: () => {
      for (const s of SIGNALS) process.off(s, handler);
      process.off('beforeExit', onDrained);
    },
  };
}
