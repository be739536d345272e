/**
 * `container-stop`: stop the container the way `docker stop` does (its stop signal, SIGKILL after
 * `stopTimeout`), start it again on revert. A container the engine deletes when it stops
 * (`--rm`) could not be started again, so preflight refuses it.
 */
import { stopContainer } from '../../docker/container-actions.js';
import { waitForContainer } from '../../docker/wait-for-container.js';
import { FiredrillError } from '../../errors.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { dockerHostOf } from './undo-recipe.js';
import { containerOf, containerPreflight, describeContainer, engineOf, undoVia } from './target-container.js';
import { containerUndo, containerUndoKind, undoContainer } from './undo-recipe.js';
import { formatDurationMs } from '../../values/duration.js';
import { containerStopSchema, type ContainerStopFault } from './schema.js';

type StopFault = ContainerStopFault;

const SETTLE_MS = 5000;

export const containerStop: Injector<StopFault> = {
  type: 'container-stop',
  example: { type: 'container-stop', target: 'redis', duration: '15s' },
  schema: containerStopSchema,
  targets: ['container', 'hosts'],
  describe: (f) =>
    `docker stop (grace ${formatDurationMs(f.stopTimeout)}), docker start on revert`,
  undo: [containerUndoKind],
  async preflight(ctx) {
    const { problems, states } = await containerPreflight(ctx);
    for (const state of states.values()) {
      if (state.autoRemove) problems.push(`container ${state.name} is removed by the engine when it stops (--rm), so it could not be started again; use container-pause instead`);
    }
    return problems;
  },
  plan(ctx: InjectorContext<StopFault>): FaultAction[] {
    return ctx.instances.map((instance) => stopAction(instance, ctx.fault.stopTimeout));
  },
};

function stopAction(instance: TargetInstance, graceMs: number): FaultAction {
  const container = containerOf(instance);
  const undoRecipe = containerUndo('start', container, dockerHostOf(instance));
  return {
    label: `stop ${describeContainer(instance)}, started again on revert`,
    instance,
    undoRecipe,
    async apply(signal) {
      const engine = await engineOf(instance, signal, 'FD_INJECT_FAILED');
      const o = { code: 'FD_INJECT_FAILED', signal } as const;
      await stopContainer(engine, container.id, graceMs, o);
      const after = await waitForContainer(engine, container.id, (s) => s === undefined || !s.running, { timeoutMs: SETTLE_MS, ...o });
      if (!after.reached) throw new FiredrillError('FD_INJECT_FAILED', `${describeContainer(instance)} still runs after stop`, { container: container.id });
    },
    async revert(signal) {
      await undoContainer(undoRecipe, signal, undoVia(instance));
    },
  };
}
