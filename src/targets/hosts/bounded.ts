/**
 * Bounded fan-out over hosts. With a `signal`, each item gets a child signal of its own, and the
 * parent carries one abort listener for the whole fan-out however many hosts there are (20 hosts
 * each listening on the run's signal set off Node's MaxListenersExceededWarning, and a leak of
 * listeners a long run would grow).
 */

/** Runs `fn` over `items` with at most `limit` at once; every item settles on its own (one slow item never holds back the rest). */
export async function settleBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, signal: AbortSignal) => Promise<R>, signal?: AbortSignal): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array<PromiseSettledResult<R>>(items.length);
  const fan = new FanOut(signal);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const child = fan.child();
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i] as T, child.signal) };
      } catch (e) {
        results[i] = { status: 'rejected', reason: e };
      } finally {
        fan.release(child);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    fan.dispose();
  }
  return results;
}

/** One listener on the parent signal, forwarding its abort to every live child controller. */
export class FanOut {
  readonly #parent: AbortSignal | undefined;
  readonly #children = new Set<AbortController>();
  readonly #onAbort = (): void => {
    for (const c of this.#children) c.abort(this.#parent?.reason);
  };

  constructor(parent?: AbortSignal) {
    this.#parent = parent;
    parent?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** A controller whose signal aborts with the parent (already aborted if the parent is). */
  child(): AbortController {
    const c = new AbortController();
    if (this.#parent?.aborted) c.abort(this.#parent.reason);
    else this.#children.add(c);
    return c;
  }

  /** The item is done: the parent no longer needs to reach its child. */
  release(c: AbortController): void {
    this.#children.delete(c);
  }

  /** Removes the parent listener; children stop hearing of the parent's abort. */
  dispose(): void {
    this.#parent?.removeEventListener('abort', this.#onAbort);
    this.#children.clear();
  }
}
