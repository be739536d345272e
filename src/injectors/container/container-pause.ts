/**
 * `container-pause`: freeze every process of the container (the engine's cgroup freezer), thaw it
 * on revert. The container keeps its network and memory: clients see a peer that stops answering.
 */
import { pauseContainer } from '../../docker/container-actions.js';
import { waitForContainer } from '../../docker/wait-for-container.js';
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { dockerHostOf } from './undo-recipe.js';
import { containerOf, containerPreflight, describeContainer, engineOf, undoVia } from './target-container.js';
import { containerUndo, containerUndoKind, undoContainer } from './undo-recipe.js';
import { containerPauseSchema, type ContainerPauseFault } from './schema.js';

type PauseFault = ContainerPauseFault;

/** How long apply waits for the engine to report the container frozen. */
const SETTLE_MS = 5000;

export const containerPause: Injector<PauseFault> = {
  type: 'container-pause',
  example: { type: 'container-pause', target: 'redis', duration: '15s' },
  schema: containerPauseSchema,
  targets: ['container', 'hosts'],
  describe: () =>
    'docker pause, docker unpause on revert',
  undo: [containerUndoKind],
  async preflight(ctx) {
    const { problems, states } = await containerPreflight(ctx);
    for (const state of states.values()) if (state.paused) problems.push(`container ${state.name} is already paused; unpause it first (docker unpause ${state.name})`);
    return problems;
  },
  plan(ctx: InjectorContext<PauseFault>): FaultAction[] {
    return ctx.instances.map((instance) => pauseAction(instance));
  },
};

function pauseAction(instance: TargetInstance): FaultAction {
  const container = containerOf(instance);
  const undoRecipe = containerUndo('unpause', container, dockerHostOf(instance));
  return {
    label: `pause ${describeContainer(instance)}`,
    instance,
    undoRecipe,
    async apply(signal) {
      const engine = await engineOf(instance, signal, 'FD_INJECT_FAILED');
      const o = { code: 'FD_INJECT_FAILED', signal } as const;
      await pauseContainer(engine, container.id, o);
      // report the fault as in place only once the engine says every process is frozen
      const after = await waitForContainer(engine, container.id, (s) => s === undefined || s.paused, { timeoutMs: SETTLE_MS, ...o });
      if (!after.reached || !after.state) {
        throw new FiredrillError('FD_INJECT_FAILED', `${describeContainer(instance)} did not pause (${after.state ? after.state.status : 'it was removed'})`, { container: container.id });
      }
    },
    async revert(signal) {
      await undoContainer(undoRecipe, signal, undoVia(instance));
    },
  };
}
