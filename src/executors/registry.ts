/**
 * Which executor acts on a target instance: this machine's, or the remote host's the instance
 * lives on. The fleet (fleet/fleet.ts) registers one executor per connected host for the
 * run; injectors only ever ask `executorFor(instance)`.
 */
import { FiredrillError } from '../errors.js';
import type { TargetInstance } from '../targets/contract.js';
import type { Executor } from './contract.js';
import { localExecutor } from './local-executor.js';

const remote = new Map<string, Executor>();

/** The executor for `instance` (local unless it names a host). Throws when its host is not connected. */
export function executorFor(instance: Pick<TargetInstance, 'host'>): Executor {
  if (instance.host === undefined) return localExecutor;
  const executor = remote.get(instance.host);
  if (!executor) throw new FiredrillError('FD_HOST_UNREACHABLE', `host ${instance.host} is not connected in this run`, { host: instance.host });
  return executor;
}

/** Registers a host's executor for the run; returns the unregister function. */
export function registerExecutor(host: string, executor: Executor): () => void {
  remote.set(host, executor);
  return () => {
    if (remote.get(host) === executor) remote.delete(host);
  };
}
