/**
 * HTTP-aware faults on one connection: a request side on the client → upstream stream that
 * decides, request by request, to forward, delay or abort; and a response side on the upstream →
 * client stream that keeps the responses in request order. An aborted request is consumed
 * (head and body) and never reaches the upstream; its synthetic response waits until the
 * responses to the requests before it have gone out, so keep-alive and pipelining stay correct.
 *
 * Parsing is a light framer (see message-framer.ts), not a full HTTP stack: heads are parsed,
 * bodies are only delimited. What it does not understand it passes through untouched.
 */
import type { Clock } from '../clock.js';
import { drawChance } from '../seeded-draw.js';
import type { HttpFault } from '../schema.js';
import { TimedQueue } from '../timed-queue.js';
import type { StreamContext, ToxicStream } from '../toxic.js';
import {
  headerTokens,
  parseRequestHead,
  parseResponseHead,
  requestBodyPlan,
  responseBodyPlan,
  wantsClose,
  type RequestHead,
  type ResponseHead,
} from './head.js';
import type { RequestMatcher } from './match.js';
import { MessageFramer } from './message-framer.js';
import { syntheticResponse } from './synthetic-response.js';

/** An HTTP fault as the exchange uses it. */
export interface HttpRule {
  readonly id: string;
  readonly fault: HttpFault;
  readonly matches: RequestMatcher;
}

/** What the exchange needs from its connection. */
export interface HttpExchangeHost<R extends HttpRule = HttpRule> {
  readonly seed: number;
  readonly connectionIndex: number;
  readonly clock: Clock;
  /** the HTTP faults in force now */
  rules(): readonly R[];
  matched(rule: R): void;
  applied(rule: R): void;
  /** Takes both sides of the exchange off the connection (after `retire`, once nothing is pending). */
  detach(): void;
}

type Slot = { kind: 'upstream'; method: string } | { kind: 'synthetic'; bytes: Buffer; close: boolean };

interface Abort {
  rule: HttpRule;
  head: RequestHead;
  sent: boolean;
}

export class HttpExchange<R extends HttpRule = HttpRule> {
  private retiring = false;
  private detachQueued = false;
  private readonly matchCounts = new Map<string, number>();
  private slots: Slot[] = [];
  private requestSide: RequestSide<R> | undefined;
  private responseSide: ResponseSide<R> | undefined;

  /** `synced: false` when the connection already carried bytes: both sides wait for a message boundary. */
  constructor(
    private readonly host: HttpExchangeHost<R>,
    private readonly synced: boolean,
  ) {}

  /** The stage for the client → upstream stream. */
  openRequestSide(ctx: StreamContext): ToxicStream {
    this.requestSide = new RequestSide(this, ctx, this.synced);
    return this.requestSide;
  }

  /** The stage for the upstream → client stream. */
  openResponseSide(ctx: StreamContext): ToxicStream {
    this.responseSide = new ResponseSide(this, ctx, this.synced);
    return this.responseSide;
  }

  /** No more faults: delayed requests go now, and the exchange leaves once nothing is pending. */
  retire(): void {
    this.retiring = true;
    this.requestSide?.releaseDelayed();
    this.maybeDetach();
  }

  /** HTTP faults are back before the exchange left. */
  revive(): void {
    this.retiring = false;
  }

  /**
   * @internal the fault for this request, or undefined to forward it untouched. The draw for a
   * rule is indexed by how many requests it has matched on this connection, so other traffic on
   * the connection does not change which matching requests are hit.
   */
  decide(head: RequestHead): R | undefined {
    if (this.retiring) return undefined;
    for (const rule of this.host.rules()) {
      if (!rule.matches(head)) continue;
      this.host.matched(rule);
      const index = this.matchCounts.get(rule.id) ?? 0;
      this.matchCounts.set(rule.id, index + 1);
      if (drawChance(rule.fault.toxicity, this.host.seed, rule.id, this.host.connectionIndex, index)) {
        this.host.applied(rule);
        return rule;
      }
    }
    return undefined;
  }

  get clock(): Clock {
    return this.host.clock;
  }

  /** @internal a request went upstream: its response will come back in this position */
  expectResponse(method: string): void {
    if (this.responseSide?.gaveUp) return;
    this.slots.push({ kind: 'upstream', method });
  }

  /** @internal answers an aborted request in its turn */
  answer(abort: Abort, close: boolean): void {
    abort.sent = true;
    const fault = abort.rule.fault;
    if (fault.toxic !== 'http-abort') return;
    const shut = close || wantsClose(abort.head);
    const bytes = syntheticResponse({
      status: fault.status,
      ...(fault.body === undefined ? {} : { body: fault.body }),
      faultId: abort.rule.id,
      headOnly: abort.head.method === 'HEAD',
      close: shut,
    });
    this.slots.push({ kind: 'synthetic', bytes, close: shut });
    this.responseSide?.drain();
  }

  /** @internal */
  get pendingSlots(): Slot[] {
    return this.slots;
  }

  /** @internal */
  maybeDetach(): void {
    if (!this.retiring || this.detachQueued) return;
    this.detachQueued = true;
    // after the chunk being framed is done (no data can arrive before a microtask runs)
    queueMicrotask(() => {
      this.detachQueued = false;
      if (!this.retiring) return;
      if (this.requestSide && !this.requestSide.idle) return;
      if (this.slots.some((s) => s.kind === 'synthetic')) return;
      this.host.detach();
    });
  }
}

class RequestSide<R extends HttpRule> implements ToxicStream {
  private readonly framer: MessageFramer<RequestHead>;
  private readonly queue: TimedQueue;
  private route: 'forward' | 'drop' = 'forward';
  /** release time of the current message (0: as soon as the ones before it) */
  private releaseAt = 0;
  private abort: Abort | undefined;

  constructor(
    private readonly exchange: HttpExchange<R>,
    private readonly ctx: StreamContext,
    synced: boolean,
  ) {
    this.queue = new TimedQueue(ctx);
    this.framer = new MessageFramer(
      parseRequestHead,
      {
        head: (bytes, head) => this.onHead(bytes, head),
        body: (bytes) => {
          if (this.route === 'forward') this.emit(bytes);
        },
        messageEnd: () => this.onMessageEnd(),
        raw: (bytes) => this.emit(bytes),
        gaveUp: () => {
          // bytes of a request being dropped must not leak upstream unframed: end the connection
          if (this.route === 'drop' && this.abort) {
            if (!this.abort.sent) this.exchange.answer(this.abort, true);
            this.route = 'forward';
          }
        },
      },
      { kind: 'request', synced },
    );
  }

  get idle(): boolean {
    return (this.framer.atBoundary || !this.framer.framing) && this.route === 'forward' && this.queue.isEmpty;
  }

  releaseDelayed(): void {
    this.releaseAt = 0;
    this.queue.flush();
  }

  write(chunk: Buffer): void {
    this.framer.write(chunk);
  }

  end(): void {
    this.framer.end();
    this.queue.end(0);
  }

  flush(): void {
    this.queue.flush();
  }

  dispose(): void {
    this.queue.dispose();
  }

  private emit(bytes: Buffer): void {
    this.queue.push(bytes, this.releaseAt);
  }

  private onHead(bytes: Buffer, head: RequestHead) {
    const plan = requestBodyPlan(head);
    // tunnels and bodies the framer cannot delimit are never faulted: they pass through
    const rule = plan.kind === 'tunnel' || plan.kind === 'invalid' ? undefined : this.exchange.decide(head);
    if (rule?.fault.toxic === 'http-abort') {
      this.route = 'drop';
      this.abort = { rule, head, sent: false };
      // a client waiting for 100-continue may never send the body: answer now and close
      if (headerTokens(head, 'expect').includes('100-continue')) this.exchange.answer(this.abort, true);
      return plan;
    }
    this.route = 'forward';
    this.releaseAt = rule?.fault.toxic === 'http-delay' ? this.exchange.clock.now() + rule.fault.delay : 0;
    this.exchange.expectResponse(head.method);
    this.emit(bytes);
    return plan;
  }

  private onMessageEnd(): void {
    if (this.route === 'drop' && this.abort && !this.abort.sent) this.exchange.answer(this.abort, false);
    this.route = 'forward';
    this.abort = undefined;
    this.releaseAt = 0;
    this.exchange.maybeDetach();
  }
}

class ResponseSide<R extends HttpRule> implements ToxicStream {
  private readonly framer: MessageFramer<ResponseHead>;
  private interim = false;
  private ended = false;
  gaveUp = false;

  constructor(
    private readonly exchange: HttpExchange<R>,
    private readonly ctx: StreamContext,
    synced: boolean,
  ) {
    this.framer = new MessageFramer(
      parseResponseHead,
      {
        head: (bytes, head) => {
          const slot = this.exchange.pendingSlots[0];
          this.interim = head.status < 200 && head.status !== 101;
          this.ctx.out.push(bytes);
          return responseBodyPlan(head, slot?.kind === 'upstream' ? slot.method : undefined);
        },
        body: (bytes) => this.ctx.out.push(bytes),
        messageEnd: () => {
          if (this.interim) return;
          if (this.exchange.pendingSlots[0]?.kind === 'upstream') this.exchange.pendingSlots.shift();
          this.drain();
          this.exchange.maybeDetach();
        },
        raw: (bytes) => this.ctx.out.push(bytes),
        gaveUp: () => {
          this.gaveUp = true;
          this.drain();
        },
      },
      { kind: 'response', synced },
    );
  }

  /** Sends the synthetic responses whose turn has come (all of them when responses are not tracked). */
  drain(): void {
    const slots = this.exchange.pendingSlots;
    const tracking = this.framer.framing && !this.gaveUp;
    while (slots.length > 0 && !this.ended) {
      const i = tracking ? 0 : slots.findIndex((s) => s.kind === 'synthetic');
      const slot = slots[i];
      if (slot === undefined || slot.kind !== 'synthetic') return;
      slots.splice(i, 1);
      this.ctx.out.push(slot.bytes);
      if (slot.close) {
        this.ended = true;
        this.ctx.close();
      }
    }
  }

  write(chunk: Buffer): void {
    this.framer.write(chunk);
  }

  end(): void {
    this.framer.end();
    this.gaveUp = true; // nothing more will come: what is owed goes out now
    this.drain();
    if (!this.ended) {
      this.ended = true;
      this.ctx.out.end();
    }
  }

  flush(): void {
    this.gaveUp = true;
    this.drain();
  }
}
