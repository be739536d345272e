/** Polls a container until it reaches a state: engine requests return before the state has settled. */
import type { ErrorCode } from '../errors.js';
import { inspectContainer, type ContainerState } from './containers.js';
import type { Engine } from './engine.js';

const POLL_MS = 25;

export interface WaitOptions {
  timeoutMs: number;
  code: ErrorCode;
  signal: AbortSignal;
}

/**
 * Resolves with the first state that satisfies `done` (undefined: the container is gone), or with
 * the last state seen when `timeoutMs` passes first; the caller decides whether that is a failure.
 */
export async function waitForContainer(
  engine: Engine,
  id: string,
  done: (state: ContainerState | undefined) => boolean,
  o: WaitOptions,
): Promise<{ state: ContainerState | undefined; reached: boolean }> {
  const deadline = performance.now() + o.timeoutMs;
  for (;;) {
    const state = await inspectContainer(engine, id, o.code, o.signal);
    if (done(state)) return { state, reached: true };
    if (performance.now() >= deadline) return { state, reached: false };
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(o.signal.reason);
      };
      const timer = setTimeout(() => {
        o.signal.removeEventListener('abort', onAbort);
        resolve();
      }, POLL_MS);
      o.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
