/** The fault proxies of one run, by target name: started before the drill, stopped after it. */
import { errorMessage } from '../../errors.js';
import type { ProxyStats } from './engine/fault-proxy.js';
import type { ProxyLookup } from '../contract.js';
import type { ManagedProxy } from './managed-proxy.js';

export class ProxyTargets implements ProxyLookup {
  readonly #byName = new Map<string, ManagedProxy>();

  add(proxy: ManagedProxy): void {
    this.#byName.set(proxy.name, proxy);
  }

  get(target: string): ManagedProxy | undefined {
    return this.#byName.get(target);
  }

  /** Each proxy's counters (connections, bytes, faults applied), for the journal. */
  async stats(): Promise<ProxyStats[]> {
    const all = await Promise.all([...this.#byName.values()].map((p) => p.stats()));
    return all.filter((s): s is ProxyStats => s !== undefined);
  }

  async stopAll(): Promise<{ stopped: string[]; failed: { name: string; error: string }[] }> {
    const stopped: string[] = [];
    const failed: { name: string; error: string }[] = [];
    await Promise.all(
      [...this.#byName.values()].map(async (p) => {
        try {
          await p.stop();
          stopped.push(p.name);
        } catch (e) {
          failed.push({ name: p.name, error: errorMessage(e) });
        }
      }),
    );
    return { stopped, failed };
  }
}
