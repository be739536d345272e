/**
 * One proxied connection: the client socket, the upstream socket and a link each way. It decides
 * (seeded, per connection) which faults touch it, keeps their toxic streams on the links in step
 * with the proxy's fault set, and closes the two sockets together.
 */
import type { Socket } from 'node:net';
import type { Clock } from './clock.js';
import type { ActiveFault, ActiveHttpFault, ActiveTcpFault, FaultCounters } from './fault-set.js';
import { HttpExchange } from './http/http-exchange.js';
import { Link, type StageSpec } from './link.js';
import { toxicFor } from './registry.js';
import { drawChance, seededRandom } from './seeded-draw.js';
import type { StreamContext, Toxic, ToxicOutput } from './toxic.js';

const HTTP_STAGE = 'http';
const FRONT = new Set([HTTP_STAGE]);

/** What a connection needs from its proxy. */
export interface ConnectionEnv {
  readonly seed: number;
  readonly clock: Clock;
  faults(): readonly ActiveFault[];
  httpFaults(): readonly ActiveHttpFault[];
  closed(connection: ProxyConnection): void;
}

export class ProxyConnection {
  readonly up: Link;
  readonly down: Link;
  private readonly drawn = new Map<string, boolean>();
  private readonly affected = new Set<FaultCounters>();
  private http: HttpExchange<ActiveHttpFault> | undefined;
  /** idle until the upstream answers; closing once a toxic closed it; closed when both sockets are */
  private state: 'idle' | 'open' | 'closing' | 'closed' = 'idle';

  constructor(
    /** 1-based, in accept order: the index seeded draws use */
    readonly index: number,
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly env: ConnectionEnv,
  ) {
    this.up = new Link(client, upstream, 'upstream');
    this.down = new Link(upstream, client, 'downstream');
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.on('error', (err: NodeJS.ErrnoException) => this.onError(other, err));
      socket.on('close', () => this.onClose(other));
    }
  }

  /** Starts forwarding once the upstream is connected. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'open';
    this.applyFaults();
    this.up.start();
    this.down.start();
  }

  /** Brings the toxic streams on both links in line with the proxy's faults now. */
  applyFaults(): void {
    if (this.state !== 'open') return;
    const up: StageSpec[] = [];
    const down: StageSpec[] = [];
    for (const f of this.env.faults()) {
      if (f.kind !== 'tcp') continue;
      const toxic = toxicFor(f.fault);
      if (toxic.open === undefined || !this.selected(f)) continue;
      const direction = 'direction' in f.fault ? f.fault.direction : 'both';
      if (direction !== 'downstream') up.push(this.toxicStage(f, toxic, this.up));
      if (direction !== 'upstream') down.push(this.toxicStage(f, toxic, this.down));
    }
    this.updateHttp();
    if (this.http) {
      const http = this.http;
      up.unshift({ key: HTTP_STAGE, open: (out) => http.openRequestSide(this.context(this.up, out, undefined, 'http')) });
      down.unshift({ key: HTTP_STAGE, open: (out) => http.openResponseSide(this.context(this.down, out, undefined, 'http')) });
    }
    this.up.update(up, FRONT);
    this.down.update(down, FRONT);
  }

  /** Resets both sides (TCP RST). */
  reset(): void {
    for (const s of [this.client, this.upstream]) if (!s.destroyed) s.resetAndDestroy();
  }

  /** Closes both sockets now (the proxy is stopping). */
  destroy(): void {
    for (const s of [this.client, this.upstream]) s.destroy();
  }

  /** Bytes read from the client and from the upstream so far. */
  get bytes(): { up: number; down: number } {
    return { up: this.client.bytesRead, down: this.upstream.bytesRead };
  }

  private updateHttp(): void {
    const rules = this.env.httpFaults();
    if (rules.length === 0) {
      this.http?.retire();
      return;
    }
    if (this.http) {
      this.http.revive();
      return;
    }
    // mid-connection the exchange must first find a message boundary
    const fresh = this.client.bytesRead === 0 && this.upstream.bytesRead === 0;
    this.http = new HttpExchange<ActiveHttpFault>(
      {
        seed: this.env.seed,
        connectionIndex: this.index,
        clock: this.env.clock,
        rules: () => this.env.httpFaults(),
        matched: (rule) => rule.counters.requestsMatched++,
        applied: (rule) => this.markApplied(rule.counters),
        detach: () => {
          this.http = undefined;
          this.up.removeStage(HTTP_STAGE);
          this.down.removeStage(HTTP_STAGE);
        },
      },
      fresh,
    );
  }

  private selected(f: ActiveTcpFault): boolean {
    let drawn = this.drawn.get(f.key);
    if (drawn === undefined) {
      drawn = drawChance(f.fault.toxicity, this.env.seed, f.id, this.index);
      this.drawn.set(f.key, drawn);
      if (drawn) f.counters.connectionsSelected++;
    }
    return drawn;
  }

  private toxicStage(f: ActiveTcpFault, toxic: Toxic, link: Link): StageSpec {
    const open = toxic.open as NonNullable<Toxic['open']>;
    return { key: f.key, open: (out) => open(f.fault, this.context(link, out, f.counters, f.id)) };
  }

  private context(link: Link, out: ToxicOutput, counters: FaultCounters | undefined, randomKey: string): StreamContext {
    return {
      direction: link.direction,
      clock: this.env.clock,
      random: seededRandom(this.env.seed, randomKey, this.index, link.direction === 'upstream' ? 0 : 1),
      out,
      applied: () => {
        if (counters) this.markApplied(counters);
      },
      held: (delta) => link.held(delta),
      reset: () => this.reset(),
      close: () => {
        out.end();
        this.closeFrom(link);
      },
    };
  }

  private markApplied(counters: FaultCounters): void {
    counters.applied++;
    if (!this.affected.has(counters)) {
      this.affected.add(counters);
      counters.connectionsAffected++;
    }
  }

  /** A toxic closed the connection from `link`: its end flows on; the other way closes now. */
  private closeFrom(link: Link): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    link.stopReading();
    (link === this.up ? this.down : this.up).abort();
    const finish = (): void => {
      const flushed = (s: Socket): boolean => s.destroyed || s.writableFinished;
      if (flushed(this.client) && flushed(this.upstream)) this.destroy();
    };
    this.client.on('finish', finish);
    this.upstream.on('finish', finish);
    finish();
  }

  private onError(other: Socket, err: NodeJS.ErrnoException): void {
    if (other.destroyed) return;
    // a reset is passed on as a reset, and so is an upstream that cannot be reached;
    // other errors close the other side
    if (err.code === 'ECONNRESET' || this.state === 'idle') other.resetAndDestroy();
    else other.destroy();
  }

  private onClose(other: Socket): void {
    if (!other.destroyed) {
      // nothing more can reach the closed side; the other side goes once what we owe it is written
      if (other.writableFinished || this.state === 'idle') other.destroy();
      else other.once('finish', () => other.destroy());
      return;
    }
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.up.dispose();
    this.down.dispose();
    this.http = undefined;
    this.env.closed(this);
  }
}
