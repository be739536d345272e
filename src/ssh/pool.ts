/**
 * One multiplexed connection per host for the whole run; jump hosts are shared. A host whose
 * connection dropped is reconnected on the next `get` (the lease and recover rely on that).
 */
import { SshConnection, type ConnectOptions, type SshTarget } from './connection.js';

export class SshPool {
  readonly #connections = new Map<string, Promise<SshConnection>>();
  readonly #options: Omit<ConnectOptions, 'via' | 'signal'>;

  constructor(options: Omit<ConnectOptions, 'via' | 'signal'>) {
    this.#options = options;
  }

  /** The open connection to `target`, connecting (through its jump host) when there is none. */
  async get(target: SshTarget, signal?: AbortSignal): Promise<SshConnection> {
    const key = keyOf(target);
    const existing = this.#connections.get(key);
    if (existing) {
      const conn = await existing.catch(() => undefined);
      if (conn && !conn.closed) return conn;
      this.#connections.delete(key);
    }
    const opening = (async () => {
      const via = target.jump ? await this.get(target.jump, signal) : undefined;
      return SshConnection.open(target, { ...this.#options, ...(via ? { via } : {}), ...(signal ? { signal } : {}) });
    })();
    this.#connections.set(key, opening);
    opening.catch(() => this.#connections.delete(key));
    return opening;
  }

  /** The connection if one is open right now (never connects). */
  async peek(target: SshTarget): Promise<SshConnection | undefined> {
    const conn = await this.#connections.get(keyOf(target))?.catch(() => undefined);
    return conn && !conn.closed ? conn : undefined;
  }

  /** Closes every connection; one still connecting is closed when it opens (never awaited here). */
  closeAll(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    for (const p of all) p.then((conn) => conn.close(), () => undefined);
    return Promise.resolve();
  }
}

function keyOf(target: SshTarget): string {
  const a = target.address;
  return `${a.user ?? ''}@${a.host}:${a.port}${target.jump ? ` via ${keyOf(target.jump)}` : ''}`;
}
