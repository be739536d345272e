/**
 * The undo of every container fault, as data (for the fault ledger) and as the one function that
 * carries it out. The injectors' own reverts call the same function, so what `firedrill recover`
 * or the dead-man switch does from the ledger is exactly what the runner would have done.
 * Idempotent: a container that is already unpaused, already running or already gone is undone.
 */
import { removeContainer, startContainer, unpauseContainer } from '../../docker/container-actions.js';
import { inspectContainer } from '../../docker/containers.js';
import { isEngineUnreachable, refusedWith } from '../../docker/engine-call.js';
import { connectEngine, DEFAULT_ENGINE_ADDRESS, engineAddress, recordedEngine, type Engine } from '../../docker/engine.js';
import { freezerState, reconcileWithEngine, thawThroughFreezer } from '../../docker/freezer-cgroup.js';
import type { TargetInstance } from '../../targets/contract.js';
import { waitForContainer } from '../../docker/wait-for-container.js';
import { FiredrillError } from '../../errors.js';
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';

/**
 * A container fault's undo through the Docker engine: unpause it / start it if not running /
 * remove a helper container. `container` is an id or a name; `dockerHost` is the engine's address
 * at inject time (unset: the default socket).
 */
export type ContainerUndoRecipe = {
  kind: 'container';
  action: 'unpause' | 'start' | 'remove';
  container: string;
  name: string;
  dockerHost?: string;
};

/** How long an undo waits for the engine to report the container thawed or running. */
const SETTLE_MS = 5000;
/** A container the engine is restarting by itself (restart policy) gets this long before we start it. */
const RESTARTING_GRACE_MS = 10_000;
/**
 * An unpause the local engine has not finished in this long is helped by thawing the container's
 * freezer cgroup directly: a hung dockerd must not leave the container frozen (the processes run
 * again at once; the engine's unpause still runs and reconciles its record when it answers).
 */
const ENGINE_SILENT_MS = 2000;
/** After such a thaw, how much longer the undo waits for the engine to confirm before it reports the thaw alone. */
const RECONCILE_MS = 3000;

/** How an undo reaches the engine: the injector's own (its instance's executor) or the recorded one. */
export interface UndoVia {
  engine(signal: AbortSignal): Promise<Engine>;
  /** the engine runs on this machine (its cgroups are ours to thaw when it does not answer) */
  local: boolean;
}

/** The recipe for `action` on `container` (id or name), on the engine this process talks to. */
export function containerUndo(action: ContainerUndoRecipe['action'], container: { id: string; name: string }, dockerHost: string | undefined): ContainerUndoRecipe {
  return { kind: 'container', action, container: container.id, name: container.name, ...(dockerHost ? { dockerHost } : {}) };
}

/**
 * The DOCKER_HOST a recipe records for `instance`: this process's for a local container; none for
 * a container on a remote host, whose undo the host's lease and `recover` run there (docker CLI).
 */
export function dockerHostOf(instance: Pick<TargetInstance, 'host'>): string | undefined {
  return instance.host === undefined ? process.env.DOCKER_HOST : undefined;
}

/** What carrying out the recipe does, for `recover --dry-run` and messages. */
export function describeContainerUndo(recipe: ContainerUndoRecipe): string {
  const where = `on ${recipe.dockerHost ?? DEFAULT_ENGINE_ADDRESS}`;
  const which = `container ${recipe.name} (${recipe.container.slice(0, 12)})`;
  switch (recipe.action) {
    case 'unpause':
      return `unpause ${which} if it is paused, ${where}`;
    case 'start':
      return `start ${which} if it is not running, ${where}`;
    case 'remove':
      return `remove helper ${which} if it still exists, ${where}`;
  }
}

/**
 * Carries the recipe out; returns what it did. Throws FD_REVERT_FAILED, with what to do by hand,
 * when the container cannot be brought back.
 */
export async function undoContainer(recipe: ContainerUndoRecipe, signal: AbortSignal, via?: UndoVia): Promise<string> {
  // the injector's own revert names the engine of its instance; recover and the dead-man switch use the recorded one
  const recorded = recordedEngine(recipe.dockerHost);
  const how: UndoVia = via ?? { engine: (s) => connectEngine(s, 'FD_REVERT_FAILED', recorded), local: engineAddress(recorded).startsWith('unix://') };
  if (recipe.action === 'unpause' && how.local) return unpauseOrThaw(recipe, signal, how);
  return undoThroughEngine(recipe, signal, await how.engine(signal), how.local);
}

type Settled = { done: true; value: string } | { done: true; error: unknown } | { done: false };

/** What `p` came to within `ms` (or `done: false`); rejects only when `signal` fires. */
function settleWithin(p: Promise<string>, ms: number, signal: AbortSignal): Promise<Settled> {
  return new Promise((resolve, reject) => {
    const finish = (s: Settled): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(s);
    };
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => finish({ done: false }), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((value) => finish({ done: true, value }), (error: unknown) => finish({ done: true, error }));
  });
}

/**
 * Unpause through the local engine; when the engine has not answered within ENGINE_SILENT_MS (hung
 * or stopped) or is not there at all, thaw the container's freezer cgroup directly so its processes
 * run again, then give the engine RECONCILE_MS to confirm and bring its record in line.
 */
async function unpauseOrThaw(recipe: ContainerUndoRecipe, signal: AbortSignal, via: UndoVia): Promise<string> {
  signal.throwIfAborted();
  const giveUp = new AbortController();
  const both = AbortSignal.any([signal, giveUp.signal]);
  const engineWay = (async () => undoThroughEngine(recipe, both, await via.engine(both), true))();
  engineWay.catch(() => undefined);
  const first = await settleWithin(engineWay, ENGINE_SILENT_MS, signal);
  if (first.done && 'value' in first) return first.value;
  if (first.done && !isEngineUnreachable(first.error)) throw first.error;
  const which = `container ${recipe.name}`;
  const thaw = thawThroughFreezer(recipe.container);
  if (!thaw.thawed) {
    if (first.done) throw withNote(first.error, `; the cgroup freezer fallback did not help either: ${thaw.why}`);
    try {
      return await engineWay;
    } catch (e) {
      throw withNote(e, `; the cgroup freezer fallback did not help either: ${thaw.why}`);
    }
  }
  const late = first.done ? first : await settleWithin(engineWay, RECONCILE_MS, signal);
  if (late.done && 'value' in late) return `${late.value} (the engine was slow to answer: its freezer cgroup had been thawed directly)`;
  giveUp.abort();
  const engine = engineAddress(recordedEngine(recipe.dockerHost));
  return (
    `thawed ${which} through its cgroup freezer (${thaw.cgroup}${thaw.wasFrozen ? '' : ', which was not frozen'}): the Docker engine at ${engine} did not answer; ` +
    `its processes run, but the engine lists it as paused until this undo runs again once the engine answers (it freezes and unpauses at once; a plain \`docker unpause\` is refused with "container not paused")`
  );
}

/** `e` with `note` added to its message (a FiredrillError keeps its code and fields). */
function withNote(e: unknown, note: string): unknown {
  if (e instanceof FiredrillError) return new FiredrillError(e.code, `${e.message}${note}`, { ...e.details }, { cause: e });
  return e;
}

/** The undo through the engine alone. */
async function undoThroughEngine(recipe: ContainerUndoRecipe, signal: AbortSignal, engine: Engine, local: boolean): Promise<string> {
  const o = { code: 'FD_REVERT_FAILED', signal } as const;
  const which = `container ${recipe.name}`;
  const byHand = (verb: string): string => `; ${verb} it by hand: DOCKER_HOST=${engine.address} docker ${verb} ${recipe.container}`;

  if (recipe.action === 'remove') {
    try {
      await removeContainer(engine, recipe.container, o);
      return `removed helper ${which}`;
    } catch (e) {
      if (refusedWith(e, 404)) return `helper ${which} was already gone`;
      // 409: the engine is already removing it (auto-remove after it exited)
      if (refusedWith(e, 409)) return `helper ${which} is being removed by the engine`;
      throw e;
    }
  }

  if (recipe.action === 'unpause') {
    // unpause first and judge by the state after: one engine call fewer per container than
    // inspect-then-unpause, which is what makes reverting 20 paused containers as fast as the CLI
    try {
      await unpauseContainer(engine, recipe.container, o);
    } catch (e) {
      // a container removed meanwhile cannot be left paused
      if (refusedWith(e, 404)) return `${which} no longer exists: nothing is left paused`;
      // refused (409, or 500 "is not paused" from older engines): never paused, or a concurrent
      // undo such as recover won the race; the state decides, and a still paused one is an error
      if (isEngineUnreachable(e)) throw e;
      const state = await inspectContainer(engine, recipe.container, 'FD_REVERT_FAILED', signal);
      if (!state) return `${which} no longer exists: nothing is left paused`;
      if (!state.paused) return `${which} was not paused`;
      // the engine's record says paused while the kernel runs it: thawed through the freezer while
      // the engine was silent; runc refuses to resume a running container, so freeze and unpause at once
      if (local && freezerState(recipe.container) === 'THAWED') {
        await reconcileWithEngine(recipe.container, () => unpauseContainer(engine, recipe.container, o));
        return `${which} was running already (thawed through its freezer cgroup); the engine's record says so again`;
      }
      throw e;
    }
    // the engine answered the unpause (it updates its record before it answers); on this machine the
    // kernel confirms the thaw with a file read, one engine request fewer per container than an inspect
    if (local && freezerState(recipe.container) === 'THAWED') return `unpaused ${which}`;
    const after = await waitForContainer(engine, recipe.container, (s) => s === undefined || !s.paused, { timeoutMs: SETTLE_MS, code: 'FD_REVERT_FAILED', signal });
    if (!after.reached) throw new FiredrillError('FD_REVERT_FAILED', `${which} is still paused after unpause${byHand('unpause')}`, { container: recipe.container });
    if (!after.state) return `${which} no longer exists: nothing is left paused`;
    return `unpaused ${which}`;
  }

  const state = await inspectContainer(engine, recipe.container, 'FD_REVERT_FAILED', signal);
  // start
  if (!state) {
    throw new FiredrillError('FD_REVERT_FAILED', `${which} (${recipe.container.slice(0, 12)}) no longer exists, so it cannot be started again; recreate it (docker-compose up -d, or docker run)`, { container: recipe.container });
  }
  if (state.running && !state.restarting) return `${which} is running`;
  if (state.restarting) {
    const back = await waitForContainer(engine, recipe.container, (s) => s === undefined || (s.running && !s.restarting), { timeoutMs: RESTARTING_GRACE_MS, code: 'FD_REVERT_FAILED', signal });
    if (back.reached && back.state) return `${which} was restarted by the engine`;
  }
  try {
    await startContainer(engine, recipe.container, o);
  } catch (e) {
    // 304: already started (by the engine's restart policy or a concurrent undo)
    if (!refusedWith(e, 304)) throw e;
  }
  const after = await waitForContainer(engine, recipe.container, (s) => s === undefined || s.running, { timeoutMs: SETTLE_MS, code: 'FD_REVERT_FAILED', signal });
  if (!after.reached || !after.state) {
    const status = after.state ? `it is ${after.state.status}` : 'it was removed';
    throw new FiredrillError('FD_REVERT_FAILED', `${which} did not come back after start (${status})${byHand('start')}`, { container: recipe.container });
  }
  return `started ${which} again`;
}

/** The same undo as docker commands for a person. */
export function containerManualFix(recipe: ContainerUndoRecipe, { host }: ManualFixContext): ManualFix {
  const env = recipe.dockerHost ? `DOCKER_HOST=${recipe.dockerHost} ` : '';
  const which = `container ${recipe.name} (${recipe.container.slice(0, 12)})`;
  const engine = recipe.dockerHost ?? DEFAULT_ENGINE_ADDRESS;
  const state = `${env}docker inspect -f '{{.State.Status}} paused={{.State.Paused}}' ${recipe.container}`;
  switch (recipe.action) {
    case 'unpause':
      return { summary: `Unpause ${which} on the engine at ${engine} (the drill ran on ${host}).`, commands: [`${env}docker unpause ${recipe.container}`], check: 'the container is running and not paused', checkCommand: state };
    case 'start':
      return { summary: `Start ${which} again on the engine at ${engine} (the drill ran on ${host}); if it no longer exists, recreate it the way it is normally created (docker-compose up -d, or docker run).`, commands: [`${env}docker start ${recipe.container}`], check: 'the container is running', checkCommand: state };
    case 'remove':
      return { summary: `Remove firedrill's helper ${which} on the engine at ${engine} (the drill ran on ${host}).`, commands: [`${env}docker rm -f ${recipe.container}`], check: 'the helper container is gone', checkCommand: `${env}docker ps -a --filter id=${recipe.container}` };
  }
}

export const containerUndoKind: UndoKind<ContainerUndoRecipe> = {
  kind: 'container',
  example: { kind: 'container', action: 'unpause', container: '3f2a1b2c3d4e5f60', name: 'redis' },
  describe: describeContainerUndo,
  execute: undoContainer,
  manualFix: containerManualFix,
};

declare module '../contract.js' {
  interface UndoRecipes { container: ContainerUndoRecipe }
}
