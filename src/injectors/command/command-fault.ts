/**
 * `command`: the escape hatch. `inject` makes the change and `revert` undoes it; both are the
 * user's commands, so one action covers the whole fault rather than one per instance.
 */
import { formatDurationMs } from '../../values/duration.js';
import { commandText } from '../../values/command-text.js';
import { commandUndo } from './undo.js';
import { FiredrillError } from '../../errors.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { executorFor } from '../../executors/registry.js';
import type { Executor, RunResult } from '../../executors/contract.js';
import type { TargetInstance } from '../../targets/contract.js';
import { commandFaultSchema, type CommandFault } from './schema.js';


export const commandFault: Injector<CommandFault> = {
  type: 'command',
  example: { type: 'command', target: 'backend', duration: '10s', inject: ['touch', '/tmp/maintenance'], revert: ['rm', '-f', '/tmp/maintenance'] },
  schema: commandFaultSchema,
  targets: 'any',
  describe: (f) => `inject: ${commandText(f.inject)}; revert: ${commandText(f.revert)}; timeout ${formatDurationMs(f.timeout)}`,
  undo: [commandUndo],
  plan(ctx: InjectorContext<CommandFault>): FaultAction[] {
    // where the commands run: once here, and once on every remote host the target's instances live on
    const byHost = new Map<string | undefined, TargetInstance[]>();
    for (const instance of ctx.instances) byHost.set(instance.host, [...(byHost.get(instance.host) ?? []), instance]);
    if (byHost.size === 0) byHost.set(undefined, []);
    return [...byHost.values()].map((instances) => commandAction(ctx, instances));
  },
};

/** The variables both commands get on top of the executor's environment (and the recipe records). */
export function commandEnv(ctx: InjectorContext<CommandFault>, instances: readonly TargetInstance[] = ctx.instances): Record<string, string> {
  const host = instances[0]?.host;
  return {
    ...ctx.fault.env,
    FIREDRILL_TARGET_PIDS: instances.map((i) => i.pid).join(','),
    FIREDRILL_FAULT_ID: ctx.fault.id ?? ctx.fault.type,
    ...(host !== undefined ? { FIREDRILL_HOST: host } : {}),
  };
}

function commandAction(ctx: InjectorContext<CommandFault>, instances: TargetInstance[]): FaultAction {
  const { fault } = ctx;
  const faultId = fault.id ?? fault.type;
  const env = commandEnv(ctx, instances);
  const first = instances[0];
  const host = first?.host;
  let applied = false;
  let reverted = false;
  let injecting: Promise<RunResult> | undefined;
  // fires when revert starts: an inject still running is stopped before the revert command runs
  const reverting = new AbortController();
  const executor = (): Executor => executorFor({ host });
  const run = (command: string | string[], signal: AbortSignal): Promise<RunResult> => executor().run(command, { env, timeoutMs: fault.timeout, signal });

  return {
    label: `run ${show(fault.inject)} (revert: ${show(fault.revert)})${host !== undefined ? ` on ${host}` : ''}`,
    // a remote host's instance: the fleet hands this recipe to the host's lease before inject runs
    ...(host !== undefined && first ? { instance: first } : {}),
    undoRecipe: { kind: 'command', command: fault.revert, env, timeoutMs: fault.timeout },
    async apply(signal) {
      signal.throwIfAborted();
      if (reverting.signal.aborted) throw new FiredrillError('FD_INJECT_FAILED', `fault ${faultId}: already reverted, not injecting`, { faultId });
      applied = true;
      injecting = run(fault.inject, AbortSignal.any([signal, reverting.signal]));
      const failure = describeFailure(await injecting, fault.timeout);
      if (failure) throw new FiredrillError('FD_INJECT_FAILED', `inject command of fault ${faultId} ${failure.message}`, { faultId, ...failure.details });
    },
    async revert(signal) {
      // never injected: nothing to undo; reverted once: a second run could undo something else
      if (!applied || reverted) return;
      reverting.abort();
      await injecting?.catch(() => undefined);
      const failure = describeFailure(await run(fault.revert, signal), fault.timeout);
      if (failure) throw new FiredrillError('FD_REVERT_FAILED', `revert command of fault ${faultId} ${failure.message}`, { faultId, ...failure.details });
      reverted = true;
    },
  };
}

/** Why a command failed, or undefined when it exited 0. */
function describeFailure(r: RunResult, timeoutMs: number): { message: string; details: Record<string, unknown> } | undefined {
  const details = { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, stderr: r.stderrLastLine };
  const said = r.stderrLastLine ? `: ${r.stderrLastLine}` : '';
  if (r.spawnError) return { message: `could not start: ${r.spawnError.message}`, details };
  if (r.timedOut) return { message: `did not finish within ${formatDurationMs(timeoutMs)} and was stopped${said}`, details };
  if (r.aborted) return { message: `was stopped before it finished${said}`, details };
  if (r.exitCode === 0) return undefined;
  const how = r.exitCode === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.exitCode}`;
  return { message: `${how}${said}`, details };
}

/** A command as a person would type it, shortened for a label. */
function show(command: string | string[]): string {
  const text = typeof command === 'string' ? command : command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
