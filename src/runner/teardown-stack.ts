/**
 * The run's disposable stack: whatever a stage creates (the safety layer, managed targets, the
 * probe loops, the faults) registers its cleanup here *before* it creates the thing. Teardown runs
 * the cleanups newest first, every one of them, whatever the earlier ones did: a cleanup that
 * throws is reported and the next one still runs.
 */
import { errorMessage } from '../errors.js';

export interface TeardownFailure {
  label: string;
  error: string;
}

interface Entry {
  label: string;
  dispose: () => Promise<void> | void;
}

export class TeardownStack {
  readonly #entries: Entry[] = [];
  #disposed = false;

  /** Registers a cleanup; it runs once, in reverse order of registration. */
  defer(label: string, dispose: () => Promise<void> | void): void {
    if (this.#disposed) throw new Error(`teardown already ran; cannot defer "${label}"`);
    this.#entries.push({ label, dispose });
  }

  /** The cleanups still to run, newest first (for tests and the debug log). */
  get labels(): string[] {
    return this.#entries.map((e) => e.label).reverse();
  }

  /** Runs every cleanup, newest first; never throws, returns the ones that failed. */
  async disposeAll(): Promise<TeardownFailure[]> {
    this.#disposed = true;
    const failures: TeardownFailure[] = [];
    for (let entry = this.#entries.pop(); entry; entry = this.#entries.pop()) {
      try {
        await entry.dispose();
      } catch (e) {
        failures.push({ label: entry.label, error: errorMessage(e) });
      }
    }
    return failures;
  }
}
