/**
 * `container-kill`: send a signal to the container's main process (SIGKILL by default). With
 * `restart: true` (the default) the revert starts the container again if it is not running, so
 * the kill is undone; anything that cannot be undone needs `allowIrreversible: true`.
 */
import { killContainer } from '../../docker/container-actions.js';
import type { ContainerState } from '../../docker/containers.js';
import { waitForContainer } from '../../docker/wait-for-container.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { dockerHostOf } from './undo-recipe.js';
import { containerOf, containerPreflight, describeContainer, engineOf, undoVia } from './target-container.js';
import { containerUndo, containerUndoKind, undoContainer } from './undo-recipe.js';
import { containerKillSchema, type ContainerKillFault } from './schema.js';

type KillFault = ContainerKillFault;

/** Signals after which the container is expected to exit; apply waits (bounded) to see it go. */
const FATAL = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGHUP']);
const EXIT_WAIT_MS = 5000;

export const containerKill: Injector<KillFault> = {
  type: 'container-kill',
  example: { type: 'container-kill', target: 'redis', duration: '15s' },
  schema: containerKillSchema,
  targets: ['container', 'hosts'],
  describe: (f) =>
    `${f.signal}${f.restart ? ', docker start on revert' : ', no restart'}${f.allowIrreversible ? ', irreversible acknowledged' : ''}`,
  undo: [containerUndoKind],
  async preflight(ctx) {
    const { problems, states } = await containerPreflight(ctx);
    if (ctx.fault.signal === 'SIGSTOP' || ctx.fault.signal === 'SIGCONT') {
      problems.push(`${ctx.fault.signal} through container-kill is never undone; use container-pause, which always unpauses`);
    }
    for (const state of states.values()) {
      const refusal = irreversibleRefusal(ctx.fault, state);
      if (refusal) problems.push(refusal);
    }
    return problems;
  },
  plan(ctx: InjectorContext<KillFault>): FaultAction[] {
    return ctx.instances.map((instance) => killAction(ctx.fault, instance));
  },
};

/** Why killing this container cannot be undone (and was not acknowledged), or undefined. */
function irreversibleRefusal(fault: KillFault, state: ContainerState): string | undefined {
  if (fault.allowIrreversible) return undefined;
  if (state.autoRemove) return `container ${state.name} is removed by the engine when it exits (--rm), so a kill cannot be undone; set allowIrreversible: true to accept that`;
  if (!fault.restart) return `container-kill with restart: false leaves container ${state.name} dead after the drill; set allowIrreversible: true to accept that`;
  return undefined;
}

function killAction(fault: KillFault, instance: TargetInstance): FaultAction {
  const container = containerOf(instance);
  const undoRecipe = fault.restart
    ? containerUndo('start', container, dockerHostOf(instance))
    : ({ kind: 'none', why: `container-kill with restart: false: ${container.name} stays as the kill left it` } as const);
  return {
    label: `${fault.signal} ${describeContainer(instance)}${fault.restart ? ', started again on revert' : ' (not restarted)'}`,
    instance,
    undoRecipe,
    async apply(signal) {
      const engine = await engineOf(instance, signal, 'FD_INJECT_FAILED');
      const o = { code: 'FD_INJECT_FAILED', signal } as const;
      await killContainer(engine, container.id, fault.signal, o);
      // a revert that looks before a dying container has exited would find it "running" and do nothing;
      // a new StartedAt means a restart policy already brought it back
      const gone = (s: ContainerState | undefined): boolean => s === undefined || !s.running || s.restarting || s.startedAt !== instance.startTime;
      if (FATAL.has(fault.signal)) await waitForContainer(engine, container.id, gone, { timeoutMs: EXIT_WAIT_MS, ...o });
    },
    async revert(signal) {
      if (undoRecipe.kind === 'container') await undoContainer(undoRecipe, signal, undoVia(instance));
    },
  };
}
