/**
 * The run's fleet: one multiplexed SSH connection per host (connected at preflight, bounded
 * fan-out), each host's executor registered for the injectors, and each host's dead-man lease,
 * started before the first fault there and released once the runner has undone everything.
 */
import { FiredrillError, errorMessage } from '../errors.js';
import { SshExecutor } from '../executors/ssh-executor.js';
import { registerExecutor } from '../executors/registry.js';
import type { Logger } from '../observability/logger.js';
import type { InventoryHost } from '../inventory/inventory.js';
import { RemoteLease } from '../lease/remote-lease.js';
import type { SshConnection, SshTarget } from '../ssh/connection.js';
import type { SshCredentials } from '../ssh/credentials.js';
import { formatHostAddress } from '../ssh/host-address.js';
import { SshPool } from '../ssh/pool.js';
import type { HostFleet } from '../targets/hosts/host-fleet.js';
import { settleBounded } from '../targets/hosts/bounded.js';

export interface FleetOptions {
  credentials: SshCredentials;
  runId: string;
  /** hosts acted on at once (connect, inject, revert, release) */
  parallel: number;
  /** after this long a lease reverts whatever the runner says (the drill's maxDuration plus a margin) */
  deadlineMs: number;
  logger: Logger;
  /** where lease dirs go on the hosts (default /tmp) */
  leaseBaseDir?: string;
  connectTimeoutMs?: number;
}

interface HostEntry {
  host: InventoryHost;
  target: SshTarget;
  leaseMs: number;
  conn?: SshConnection;
  executor?: SshExecutor;
  unregister?: () => void;
  lease?: Promise<RemoteLease>;
}

/** How one host's lease ended, for the report. */
export interface HostRelease {
  host: string;
  outcome: 'released' | 'pending' | 'unreachable' | 'no-lease';
  detail?: string;
  ms: number;
}

export function sshTargetOf(host: InventoryHost): SshTarget {
  return {
    name: host.name,
    address: host.address,
    ...(host.jump ? { jump: { name: `${formatHostAddress(host.jump)} (jump)`, address: host.jump } } : {}),
  };
}

export class Fleet implements HostFleet {
  readonly options: FleetOptions;
  readonly #pool: SshPool;
  readonly #hosts = new Map<string, HostEntry>();

  constructor(options: FleetOptions) {
    this.options = options;
    this.#pool = new SshPool({ credentials: options.credentials, ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}), keepaliveMs: 1000 });
  }

  /** Adds a target's hosts (same name twice must be the same address). */
  add(hosts: readonly InventoryHost[], leaseMs: number): void {
    for (const host of hosts) {
      const known = this.#hosts.get(host.name);
      if (known && formatHostAddress(known.host.address) !== formatHostAddress(host.address)) {
        throw new FiredrillError('FD_INVENTORY_INVALID', `host ${host.name} names two addresses (${formatHostAddress(known.host.address)}, ${formatHostAddress(host.address)})`, { host: host.name });
      }
      if (known) known.leaseMs = Math.min(known.leaseMs, leaseMs);
      else this.#hosts.set(host.name, { host, target: sshTargetOf(host), leaseMs });
    }
  }

  get parallel(): number {
    return this.options.parallel;
  }

  get hostNames(): string[] {
    return [...this.#hosts.keys()];
  }

  host(name: string): InventoryHost {
    return this.#entry(name).host;
  }

  /**
   * Connects to every host (bounded) and registers its executor. Any host that cannot be reached
   * (or whose key is refused) refuses the whole run: nothing is injected anywhere.
   */
  async connectAll(signal: AbortSignal): Promise<void> {
    const entries = [...this.#hosts.values()].filter((e) => !e.conn || e.conn.closed);
    const results = await settleBounded(
      entries,
      this.options.parallel,
      async (e, hostSignal) => {
        const credentials = e.host.identityFile ? { ...this.options.credentials, identityFiles: [e.host.identityFile, ...this.options.credentials.identityFiles] } : this.options.credentials;
        const conn = await (e.host.identityFile ? new SshPool({ credentials }).get(e.target, hostSignal) : this.#pool.get(e.target, hostSignal));
        e.conn = conn;
        e.executor = new SshExecutor(conn);
        e.unregister?.();
        e.unregister = registerExecutor(e.host.name, e.executor);
      },
      signal,
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ host: entries[i]?.host.name as string, error: r.reason as unknown }] : []));
    if (failed.length === 0) return;
    const keyRefused = failed.find((f) => f.error instanceof FiredrillError && f.error.code === 'FD_HOST_KEY_REFUSED');
    const text = failed.map((f) => errorMessage(f.error)).join('; ');
    throw new FiredrillError(keyRefused ? 'FD_HOST_KEY_REFUSED' : 'FD_HOST_UNREACHABLE', `${failed.length} of ${entries.length} hosts refused before anything was injected anywhere: ${text}`, {
      hosts: failed.map((f) => f.host),
    });
  }

  executor(name: string): SshExecutor {
    const e = this.#entry(name);
    if (!e.executor) throw new FiredrillError('FD_HOST_UNREACHABLE', `host ${name} is not connected`, { host: name });
    return e.executor;
  }

  connection(name: string): SshConnection {
    return this.executor(name).connection;
  }

  leaseMs(name: string): number {
    return this.#entry(name).leaseMs;
  }

  /** The host's lease, started (once) on first use: before the first fault on that host. */
  leaseFor(name: string): Promise<RemoteLease> {
    const e = this.#entry(name);
    e.lease ??= (async () => {
      const conn = this.connection(name);
      const lease = await RemoteLease.start(conn, {
        runId: this.options.runId,
        host: name,
        leaseMs: e.leaseMs,
        deadlineMs: this.options.deadlineMs,
        // a watchdog tick forks a `sleep` on the host: 1/20 of the lease is plenty (a lease reverts
        // within lease + tick), and a host running many leases is not kept busy by them
        tickMs: Math.min(250, Math.max(50, Math.floor(e.leaseMs / 20))),
        ...(this.options.leaseBaseDir ? { baseDir: this.options.leaseBaseDir } : {}),
      });
      await lease.startRenewing(Math.max(100, Math.floor(e.leaseMs / 4)));
      this.options.logger.info({ host: name, leaseMs: e.leaseMs, dir: lease.record.dir }, 'remote lease armed');
      return lease;
    })();
    e.lease.catch(() => {
      e.lease = undefined;
    });
    return e.lease;
  }

  /** The lease dir a host's lease uses (known before it starts, for the ledger). */
  leaseDirOf(name: string): string {
    return `${(this.options.leaseBaseDir ?? '/tmp').replace(/\/+$/, '')}/firedrill-lease-${this.options.runId}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  }

  /**
   * After the runner's own revert: every host's lease is released (bounded, concurrently); a host
   * with undo left keeps its lease, which then reverts by itself.
   */
  async releaseAll(): Promise<HostRelease[]> {
    const entries = [...this.#hosts.values()];
    const results = await settleBounded(entries, this.options.parallel, async (e): Promise<HostRelease> => {
      const t0 = performance.now();
      if (!e.lease) return { host: e.host.name, outcome: 'no-lease', ms: 0 };
      const lease = await e.lease.catch(() => undefined);
      if (!lease) return { host: e.host.name, outcome: 'no-lease', ms: 0 };
      try {
        const outcome = await lease.release();
        return {
          host: e.host.name,
          outcome,
          ms: performance.now() - t0,
          ...(outcome === 'pending' ? { detail: `undo left on the host; its lease reverts it within ${e.leaseMs} ms` } : {}),
        };
      } catch (err) {
        lease.stopRenewing();
        return { host: e.host.name, outcome: 'unreachable', detail: `${errorMessage(err)}; its lease reverts what is left within ${e.leaseMs} ms of the last renewal`, ms: performance.now() - t0 };
      }
    });
    return results.map((r, i) => (r.status === 'fulfilled' ? r.value : { host: entries[i]?.host.name ?? '?', outcome: 'unreachable' as const, detail: errorMessage(r.reason), ms: 0 }));
  }

  /** Stops renewals and closes every connection (leases still held revert by themselves). */
  async close(): Promise<void> {
    for (const e of this.#hosts.values()) {
      const lease = await e.lease?.catch(() => undefined);
      lease?.stopRenewing();
      e.unregister?.();
    }
    await this.#pool.closeAll();
  }

  #entry(name: string): HostEntry {
    const e = this.#hosts.get(name);
    if (!e) throw new FiredrillError('FD_INTERNAL', `host ${name} is not part of this run's fleet`, { host: name });
    return e;
  }
}
