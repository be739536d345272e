/**
 * The toxic contract. A toxic is a tiny module whose `open` returns its state for one direction of
 * one connection (a `ToxicStream`). The stream's one required method is `write(chunk)`; `end`,
 * `flush` and `dispose` are optional abilities, like toxiproxy's `Pipe()` plus its optional
 * interfaces. See docs/proxy.md.
 */
import type { Clock } from './clock.js';
import type { StreamDirection, TcpFault } from './schema.js';

/** Where a toxic stream hands on what it lets through: the next toxic, or the socket. */
export interface ToxicOutput {
  push(chunk: Buffer): void;
  /** passes the end of the stream (the sender's FIN) on */
  end(): void;
}

/** What a toxic stream may use and do, besides passing data on. */
export interface StreamContext {
  readonly direction: StreamDirection;
  readonly clock: Clock;
  /** seeded PRNG for this fault on this stream: the same seed replays the same draws */
  readonly random: () => number;
  readonly out: ToxicOutput;
  /** Counts one act of the fault (a chunk delayed, a reset sent) for the proxy's counters. */
  applied(): void;
  /** Reports bytes this stream starts (+) or stops (−) holding; the proxy pauses the sender when too much is held. */
  held(deltaBytes: number): void;
  /** Resets both sides of the connection (TCP RST) now. */
  reset(): void;
  /** Ends the connection: this direction's end is passed on through `out`, the other direction is closed now. */
  close(): void;
}

/** One toxic acting on one direction of one connection. */
export interface ToxicStream {
  /** Required: a chunk arrived; pass it on with `ctx.out.push` now or later, split, or hold it. */
  write(chunk: Buffer): void;
  /** The sender ended the stream. Default: `ctx.out.end()` at once. A stream that holds data must end after it. */
  end?(): void;
  /** The fault is being removed: hand every held chunk (and a held end) to `ctx.out` now, and stop timers. */
  flush?(): void;
  /** The connection is gone: stop timers, drop what is held. */
  dispose?(): void;
}

/**
 * A toxic kind. A stream toxic implements `open`; a connection toxic implements `accept`
 * (refuse); either is optional on its own, so each toxic writes only the one it needs.
 */
export interface Toxic<F extends TcpFault = TcpFault> {
  readonly name: F['toxic'];
  /** Creates the toxic's state for one direction of one connection (one the toxicity draw selected). */
  open?(fault: F, ctx: StreamContext): ToxicStream;
  /** Acts on a new connection before the upstream is dialed; returns true to refuse it. */
  accept?(fault: F): boolean;
}
