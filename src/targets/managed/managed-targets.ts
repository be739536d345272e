/** The runner-managed targets of one run, by target name: restart for process-kill, stop all at the end. */
import { errorMessage, FiredrillError } from '../../errors.js';
import { silentLogger, type Logger } from '../../observability/logger.js';
import type { RestartTargets, TargetInstance } from '../contract.js';
import type { ManagedProcess } from './managed-process.js';

export interface StopAllResult {
  stopped: string[];
  failed: { name: string; error: string }[];
}

export class ManagedTargets implements RestartTargets {
  readonly #byName = new Map<string, ManagedProcess>();
  readonly #logger: Logger;

  constructor(logger: Logger = silentLogger()) {
    this.#logger = logger;
  }

  /** Registers a target; a name can be added once. */
  add(name: string, mp: ManagedProcess): void {
    if (this.#byName.has(name)) throw new FiredrillError('FD_INTERNAL', `managed target "${name}" was added twice`, { target: name });
    this.#byName.set(name, mp);
  }

  /** The managed process of a target, if that target is runner-managed. */
  get(name: string): ManagedProcess | undefined {
    return this.#byName.get(name);
  }

  /** Names of all managed targets, in the order they were added. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** True when one of our managed processes started this instance (also an earlier, killed one). */
  isManaged(instance: TargetInstance): boolean {
    return this.#owner(instance) !== undefined;
  }

  /** Restarts the managed target that owns `instance`; returns its new instance. */
  async restart(instance: TargetInstance, signal: AbortSignal): Promise<TargetInstance> {
    const mp = this.#owner(instance);
    if (!mp) throw new FiredrillError('FD_INTERNAL', `${instance.id} is not a runner-managed target; it cannot be restarted`, { pid: instance.pid });
    return mp.restart(signal);
  }

  /** Stops every managed target in parallel; never throws, reports what could not be stopped. */
  async stopAll(): Promise<StopAllResult> {
    const entries = [...this.#byName.entries()];
    const results = await Promise.allSettled(entries.map(([, mp]) => mp.stop()));
    const out: StopAllResult = { stopped: [], failed: [] };
    results.forEach((r, i) => {
      const [name, mp] = entries[i] as [string, ManagedProcess];
      if (r.status === 'rejected') {
        out.failed.push({ name, error: errorMessage(r.reason) });
        this.#logger.error({ target: name, err: r.reason }, 'could not stop a managed target');
      } else if (mp.instance !== undefined) {
        // one that never came up was cleaned up by its failed start: not reported as stopped
        out.stopped.push(name);
      }
    });
    return out;
  }

  #owner(instance: TargetInstance): ManagedProcess | undefined {
    return [...this.#byName.values()].find((mp) => mp.owns(instance));
  }
}
