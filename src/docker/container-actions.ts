/**
 * The container lifecycle requests faults use, each one bounded engine call. They do exactly what
 * the engine does; deciding whether a request is needed (idempotence) is the caller's job.
 */
import type { ErrorCode } from '../errors.js';
import { engineCall, ENGINE_CALL_TIMEOUT_MS } from './engine-call.js';
import type { Engine } from './engine.js';

export interface ActionOptions {
  code: ErrorCode;
  signal: AbortSignal;
}

/** Freezes every process of the container (cgroup freezer). */
export function pauseContainer(engine: Engine, id: string, o: ActionOptions): Promise<void> {
  return engineCall(engine, `pause container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).pause({ abortSignal }));
}

/** Thaws a paused container. */
export function unpauseContainer(engine: Engine, id: string, o: ActionOptions): Promise<void> {
  return engineCall(engine, `unpause container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).unpause({ abortSignal }));
}

/** Starts a stopped container. */
export function startContainer(engine: Engine, id: string, o: ActionOptions): Promise<void> {
  return engineCall(engine, `start container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).start({ abortSignal }));
}

/** Stops a container: its stop signal, then SIGKILL after `graceMs`. Resolves once it has stopped. */
export function stopContainer(engine: Engine, id: string, graceMs: number, o: ActionOptions): Promise<void> {
  const t = Math.ceil(graceMs / 1000);
  return engineCall(engine, `stop container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).stop({ t, abortSignal }), graceMs + ENGINE_CALL_TIMEOUT_MS);
}

/** Restarts a container (stop with `graceMs`, then start). */
export function restartContainer(engine: Engine, id: string, graceMs: number, o: ActionOptions): Promise<void> {
  const t = Math.ceil(graceMs / 1000);
  return engineCall(engine, `restart container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).restart({ t, abortSignal }), graceMs + ENGINE_CALL_TIMEOUT_MS);
}

/** Sends `signal` to the container's main process. */
export function killContainer(engine: Engine, id: string, signal: string, o: ActionOptions): Promise<void> {
  return engineCall(engine, `send ${signal} to container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).kill({ signal, abortSignal }));
}

/** Removes a container, running or not. */
export function removeContainer(engine: Engine, id: string, o: ActionOptions): Promise<void> {
  return engineCall(engine, `remove container ${id}`, o.code, o.signal, (abortSignal) => engine.docker.getContainer(id).remove({ force: true, abortSignal }));
}
