/**
 * The facilitator's commands (`/done`, `/go`, `/continue`, `/stop`, `/skip`, `/abort`) from the
 * terminal or the control endpoint, delivered to whatever the day is waiting for. A command nobody
 * waits for is dropped with a reason, never kept for later: a stale "done" must not end the next
 * manual step.
 */
export type DayCommand = 'done' | 'go' | 'continue' | 'stop' | 'skip' | 'abort';

interface Waiter {
  accept: ReadonlySet<DayCommand>;
  resolve: (command: DayCommand) => void;
}

export class CommandChannel {
  #waiter?: Waiter;
  readonly #onAbort: (by: string) => void;
  readonly #onIgnored: (command: DayCommand, by: string) => void;

  constructor(options: { onAbort: (by: string) => void; onIgnored: (command: DayCommand, by: string) => void }) {
    this.#onAbort = options.onAbort;
    this.#onIgnored = options.onIgnored;
  }

  /** What the day waits for right now (for the status and the terminal's prompt). */
  get waitingFor(): DayCommand[] {
    return this.#waiter ? [...this.#waiter.accept] : [];
  }

  push(command: DayCommand, by: string): void {
    if (command === 'abort') {
      this.#onAbort(by);
      return;
    }
    const waiter = this.#waiter;
    if (waiter && waiter.accept.has(command)) {
      this.#waiter = undefined;
      waiter.resolve(command);
      return;
    }
    this.#onIgnored(command, by);
  }

  /** Waits for one of `accept`; resolves undefined when the signal aborts. */
  wait(accept: readonly DayCommand[], signal: AbortSignal): Promise<DayCommand | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(undefined);
        return;
      }
      const onAbort = () => {
        if (this.#waiter === waiter) this.#waiter = undefined;
        resolve(undefined);
      };
      const waiter: Waiter = {
        accept: new Set(accept),
        resolve: (c) => {
          signal.removeEventListener('abort', onAbort);
          resolve(c);
        },
      };
      this.#waiter = waiter;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
