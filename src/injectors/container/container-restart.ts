/**
 * `container-restart`: restart the container (stop with `stopTimeout`, then start) at the start of
 * the fault; the fault's duration is how long the drill watches the service come back. The
 * revert makes sure it runs: a restart that left it stopped is started again.
 */
import { restartContainer } from '../../docker/container-actions.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { dockerHostOf } from './undo-recipe.js';
import { containerOf, containerPreflight, describeContainer, engineOf, undoVia } from './target-container.js';
import { containerUndo, containerUndoKind, undoContainer } from './undo-recipe.js';
import { formatDurationMs } from '../../values/duration.js';
import { containerRestartSchema, type ContainerRestartFault } from './schema.js';

type RestartFault = ContainerRestartFault;

export const containerRestart: Injector<RestartFault> = {
  type: 'container-restart',
  example: { type: 'container-restart', target: 'redis', duration: '15s' },
  schema: containerRestartSchema,
  targets: ['container', 'hosts'],
  describe: (f) =>
    `docker restart (grace ${formatDurationMs(f.stopTimeout)})`,
  undo: [containerUndoKind],
  async preflight(ctx) {
    const { problems, states } = await containerPreflight(ctx);
    for (const state of states.values()) {
      if (state.autoRemove) problems.push(`container ${state.name} is removed by the engine when it stops (--rm), so a restart could lose it; use container-pause or container-kill with allowIrreversible`);
    }
    return problems;
  },
  plan(ctx: InjectorContext<RestartFault>): FaultAction[] {
    return ctx.instances.map((instance) => restartAction(instance, ctx.fault.stopTimeout));
  },
};

function restartAction(instance: TargetInstance, graceMs: number): FaultAction {
  const container = containerOf(instance);
  const undoRecipe = containerUndo('start', container, dockerHostOf(instance));
  return {
    label: `restart ${describeContainer(instance)}`,
    instance,
    undoRecipe,
    async apply(signal) {
      const engine = await engineOf(instance, signal, 'FD_INJECT_FAILED');
      await restartContainer(engine, container.id, graceMs, { code: 'FD_INJECT_FAILED', signal });
    },
    async revert(signal) {
      await undoContainer(undoRecipe, signal, undoVia(instance));
    },
  };
}
