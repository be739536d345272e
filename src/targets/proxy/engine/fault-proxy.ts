/**
 * The built-in fault proxy: listens on a loopback port and forwards each connection to one
 * upstream. Faults (TCP toxics and HTTP faults) switch on and off at any time without dropping
 * healthy connections; with none in force, bytes are plainly piped.
 */
import { createServer, connect, isIP, type Server, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { FiredrillError, errorMessage } from '../../../errors.js';
import { systemClock, type Clock } from './clock.js';
import { ProxyConnection } from './connection.js';
import { activate, type ActiveFault, type ActiveHttpFault, type FaultCounters } from './fault-set.js';
import { toxicFor } from './registry.js';
import type { ProxyFault } from './schema.js';
import { drawChance } from './seeded-draw.js';

export interface ProxyEndpoint {
  host: string;
  port: number;
}

export interface FaultProxyOptions {
  /** shown in errors and counters; several proxies of one run should have different names */
  name: string;
  /** default 127.0.0.1, port 0 (a free port) */
  listen?: { host?: string; port?: number };
  upstream: ProxyEndpoint;
  /** faults in force from the first connection on (no window without them) */
  faults?: readonly ProxyFault[];
  /** seeds every toxicity draw, jitter and slice size; random when omitted (see `stats().seed`) */
  seed?: number;
  /** listening on anything but loopback must be asked for */
  allowNonLoopback?: boolean;
  /** how long dialing the upstream may take before the client is reset; default 10 s */
  connectTimeoutMs?: number;
  clock?: Clock;
  /** stops the proxy when it fires */
  signal?: AbortSignal;
}

export interface ProxyFaultStats extends Readonly<FaultCounters> {
  /** in force now */
  active: boolean;
}

export interface ProxyStats {
  name: string;
  listen: ProxyEndpoint | undefined;
  upstream: ProxyEndpoint;
  seed: number;
  connections: {
    total: number;
    active: number;
    /** reset at accept by a refuse fault */
    refused: number;
    /** the upstream could not be reached; the client was reset */
    upstreamFailed: number;
  };
  /** bytes read from clients (up) and from the upstream (down) */
  bytes: { up: number; down: number };
  faults: ProxyFaultStats[];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export class FaultProxy {
  private server: Server | undefined;
  private options: FaultProxyOptions | undefined;
  private bound: ProxyEndpoint | undefined;
  private clock: Clock = systemClock;
  private seedValue = 0;
  private active: ActiveFault[] = [];
  private http: ActiveHttpFault[] = [];
  private readonly counters = new Map<string, FaultCounters>();
  private readonly connections = new Set<ProxyConnection>();
  private readonly pending = new Set<Socket>();
  private accepted = 0;
  private refused = 0;
  private upstreamFailed = 0;
  private closedBytes = { up: 0, down: 0 };
  private stopping: Promise<void> | undefined;
  private forgetSignal: (() => void) | undefined;

  /** Listens and returns the bound address (with the port picked when 0 was asked). */
  async start(options: FaultProxyOptions): Promise<ProxyEndpoint> {
    if (this.server) throw new FiredrillError('FD_INTERNAL', `proxy "${options.name}" is already started`);
    const host = options.listen?.host ?? '127.0.0.1';
    const port = options.listen?.port ?? 0;
    if (!isLoopback(host) && !options.allowNonLoopback) {
      throw new FiredrillError(
        'FD_ENV_REFUSED',
        `proxy "${options.name}" would listen on ${host}, which is not loopback; use 127.0.0.1, or allow it explicitly`,
        { name: options.name, host },
      );
    }
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.seedValue = options.seed ?? randomInt(2 ** 31);
    this.setFaults(options.faults ?? []);

    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server = undefined;
        reject(
          new FiredrillError(
            'FD_INJECT_FAILED',
            `proxy "${options.name}" cannot listen on ${host}:${port} (${err.code ?? errorMessage(err)}); pick a free port or use port 0`,
            { name: options.name, host, port, code: err.code },
            { cause: err },
          ),
        );
      };
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // a listening error later (rare) must not crash the run; the counters show the effect
    server.on('error', () => undefined);
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new FiredrillError('FD_INTERNAL', `proxy "${options.name}" has no TCP address`);
    this.bound = { host: addr.address, port: addr.port };
    if (options.signal) {
      const signal = options.signal;
      const onAbort = (): void => void this.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      this.forgetSignal = () => signal.removeEventListener('abort', onAbort);
      if (signal.aborted) await this.stop();
    }
    return this.bound;
  }

  /** The bound address, once started. */
  get address(): ProxyEndpoint | undefined {
    return this.bound;
  }

  /**
   * Puts exactly these faults in force. Faults that stay (same id and settings) keep their state
   * on every connection; removed ones hand on what they hold and go; new ones apply to new data
   * and, for refuse, to new connections.
   */
  setFaults(faults: readonly ProxyFault[]): void {
    this.active = activate(faults, this.counters, this.options?.name ?? 'proxy');
    this.http = this.active.filter((f): f is ActiveHttpFault => f.kind === 'http');
    for (const c of this.connections) c.applyFaults();
  }

  /** Removes every fault; connections carry on as plain pipes. */
  clearFaults(): void {
    this.setFaults([]);
  }

  /** The proxy's counters now. */
  stats(): ProxyStats {
    const bytes = { ...this.closedBytes };
    for (const c of this.connections) {
      bytes.up += c.bytes.up;
      bytes.down += c.bytes.down;
    }
    const inForce = new Set(this.active.map((f) => f.id));
    return {
      name: this.options?.name ?? '',
      listen: this.bound,
      upstream: this.options?.upstream ?? { host: '', port: 0 },
      seed: this.seedValue,
      connections: { total: this.accepted, active: this.connections.size, refused: this.refused, upstreamFailed: this.upstreamFailed },
      bytes,
      faults: [...this.counters.values()].map((c) => ({ ...c, active: inForce.has(c.id) })),
    };
  }

  /** Stops listening and closes every connection. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.forgetSignal?.();
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.pending) s.destroy();
    for (const c of this.connections) c.destroy();
    await closed;
  }

  private accept(client: Socket): void {
    const index = ++this.accepted;
    if (this.stopping) {
      client.destroy();
      return;
    }
    client.on('error', () => undefined);
    if (this.refuses(index)) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const options = this.options as FaultProxyOptions;
    const upstream = connect({ host: options.upstream.host, port: options.upstream.port, allowHalfOpen: true, noDelay: true });
    upstream.on('error', () => undefined);
    const connection = new ProxyConnection(index, client, upstream, {
      seed: this.seedValue,
      clock: this.clock,
      faults: () => this.active,
      httpFaults: () => this.http,
      closed: (c) => {
        this.connections.delete(c);
        this.pending.delete(c.upstream);
        this.closedBytes.up += c.bytes.up;
        this.closedBytes.down += c.bytes.down;
      },
    });
    this.connections.add(connection);
    this.pending.add(upstream);
    upstream.setTimeout(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, () => {
      upstream.destroy(new Error('upstream connect timed out'));
    });
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      this.pending.delete(upstream);
      connection.start();
    });
    upstream.once('error', () => {
      if (!this.pending.has(upstream)) return;
      this.pending.delete(upstream);
      this.upstreamFailed++;
      if (!client.destroyed) client.resetAndDestroy();
    });
  }

  /** True when a refuse fault picks this new connection. */
  private refuses(index: number): boolean {
    for (const f of this.active) {
      if (f.kind !== 'tcp') continue;
      const toxic = toxicFor(f.fault);
      if (toxic.accept === undefined || !drawChance(f.fault.toxicity, this.seedValue, f.id, index)) continue;
      f.counters.connectionsSelected++;
      if (toxic.accept(f.fault)) {
        f.counters.applied++;
        f.counters.connectionsAffected++;
        return true;
      }
    }
    return false;
  }
}
