/**
 * An incremental HTTP/1.x framer for one direction of a connection. It finds where each message
 * head ends and how long its body is (Content-Length, chunked, until close), and reports the
 * bytes in order as head / body / raw pieces without copying body bytes. Anything it does not
 * understand (a malformed head, a tunnel after CONNECT or Upgrade) makes it give up and report
 * every later byte as raw, so the proxy falls back to plain pass-through and never corrupts a
 * stream it cannot frame.
 */
import { looksLikeRequestStart, looksLikeResponseStart, type BodyPlan, type RequestHead, type ResponseHead } from './head.js';

export interface FramerEvents<H> {
  /** A complete head; returns how its body is delimited. */
  head(bytes: Buffer, head: H): BodyPlan;
  body(bytes: Buffer): void;
  /** The message (head and body) is complete. */
  messageEnd(): void;
  /** Bytes outside any framed message: before the first boundary, in a tunnel, or after giving up. */
  raw(bytes: Buffer): void;
  /** The framer stopped framing for good (malformed input or a tunnel). */
  gaveUp?(why: string): void;
}

type State =
  | 'unsynced'
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-data-end'
  | 'trailer'
  | 'until-close'
  | 'raw';

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

export class MessageFramer<H extends RequestHead | ResponseHead> {
  private state: State;
  private pending: Buffer | null = null;
  private remaining = 0;
  private line = '';
  private readonly kind: H['kind'];

  /**
   * `synced: false` starts mid-stream: bytes are raw until a chunk begins with a start line of
   * `kind` (a heuristic: on a keep-alive connection a new message nearly always starts a read).
   */
  constructor(
    private readonly parse: (head: Buffer) => H | undefined,
    private readonly events: FramerEvents<H>,
    options: { kind: H['kind']; synced: boolean },
  ) {
    this.kind = options.kind;
    this.state = options.synced ? 'head' : 'unsynced';
  }

  /** True between messages: nothing of a message has been seen since the last one ended. */
  get atBoundary(): boolean {
    return this.state === 'head' && this.pending === null;
  }

  /** True while the framer frames messages (not waiting for a boundary, not given up). */
  get framing(): boolean {
    return this.state !== 'unsynced' && this.state !== 'raw';
  }

  /** Stops framing: every later byte is raw. */
  giveUp(why: string): void {
    if (this.state === 'raw') return;
    this.state = 'raw';
    const pending = this.pending;
    this.pending = null;
    if (pending) this.events.raw(pending);
    this.events.gaveUp?.(why);
  }

  write(chunk: Buffer): void {
    let i = 0;
    if (this.state === 'unsynced') {
      if (!this.startsMessage(chunk)) {
        this.events.raw(chunk);
        return;
      }
      this.state = 'head';
    }
    while (i < chunk.length) {
      switch (this.state) {
        case 'head':
          i = this.readHead(chunk, i);
          break;
        case 'length': {
          const take = Math.min(this.remaining, chunk.length - i);
          this.events.body(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.endMessage();
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, chunk.length - i);
          this.events.body(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'chunk-data-end';
          break;
        }
        case 'chunk-size':
        case 'chunk-data-end':
        case 'trailer':
          i = this.readFramingLine(chunk, i);
          break;
        case 'until-close':
          this.events.body(i === 0 ? chunk : chunk.subarray(i));
          i = chunk.length;
          break;
        case 'raw':
          this.events.raw(i === 0 ? chunk : chunk.subarray(i));
          i = chunk.length;
          break;
      }
    }
  }

  /** The stream ended: a body delimited by the close is complete; a partial head goes out raw. */
  end(): void {
    if (this.state === 'until-close') this.endMessage();
    const pending = this.pending;
    this.pending = null;
    if (pending) this.events.raw(pending);
  }

  private startsMessage(chunk: Buffer): boolean {
    return this.kind === 'request' ? looksLikeRequestStart(chunk) : looksLikeResponseStart(chunk);
  }

  private readHead(chunk: Buffer, from: number): number {
    let buf: Buffer;
    let searchFrom: number;
    let base: number;
    if (this.pending === null) {
      // bare line breaks between messages are allowed (RFC 9112 §2.2); pass them through
      let j = from;
      while (j < chunk.length && (chunk[j] === 0x0d || chunk[j] === 0x0a)) j++;
      if (j > from) this.events.raw(chunk.subarray(from, j));
      if (j === chunk.length) return j;
      buf = chunk.subarray(j);
      searchFrom = 0;
      base = j;
    } else {
      const old = this.pending;
      buf = Buffer.concat([old, chunk.subarray(from)]);
      searchFrom = Math.max(0, old.length - 3);
      base = from - old.length;
    }
    const end = buf.indexOf(HEAD_END, searchFrom);
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) {
        this.pending = buf;
        this.giveUp('head too large');
        return chunk.length;
      }
      this.pending = buf;
      return chunk.length;
    }
    this.pending = null;
    const headBytes = buf.subarray(0, end + HEAD_END.length);
    const consumedTo = base + end + HEAD_END.length; // index in `chunk` just past the head
    const head = this.parse(headBytes);
    if (head === undefined) {
      this.events.raw(headBytes);
      this.giveUp('not an HTTP/1.x head');
      return consumedTo;
    }
    const plan = this.events.head(headBytes, head);
    this.begin(plan);
    return consumedTo;
  }

  private begin(plan: BodyPlan): void {
    switch (plan.kind) {
      case 'none':
        this.endMessage();
        return;
      case 'length':
        this.state = 'length';
        this.remaining = plan.length;
        return;
      case 'chunked':
        this.state = 'chunk-size';
        this.line = '';
        return;
      case 'until-close':
        this.state = 'until-close';
        return;
      case 'tunnel':
        this.state = 'raw';
        this.events.messageEnd();
        this.events.gaveUp?.('tunnel');
        return;
      case 'invalid':
        this.giveUp('body length not understood');
        return;
    }
  }

  private endMessage(): void {
    this.state = 'head';
    this.events.messageEnd();
  }

  /** Reads one CRLF-terminated framing line of a chunked body (size, chunk end, trailer). */
  private readFramingLine(chunk: Buffer, from: number): number {
    const nl = chunk.indexOf(0x0a, from);
    const to = nl < 0 ? chunk.length : nl + 1;
    this.line += chunk.toString('latin1', from, nl < 0 ? to : nl);
    this.events.body(chunk.subarray(from, to));
    if (nl < 0) {
      if (this.line.length > MAX_LINE_BYTES) this.giveUp('chunk line too long');
      return to;
    }
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === 'chunk-size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!size) {
        this.giveUp('bad chunk size');
        return to;
      }
      this.remaining = parseInt(size[1] as string, 16);
      this.state = this.remaining === 0 ? 'trailer' : 'chunk-data';
    } else if (this.state === 'chunk-data-end') {
      if (line !== '') this.giveUp('chunk not followed by CRLF');
      else this.state = 'chunk-size';
    } else if (line === '') {
      this.endMessage();
    }
    return to;
  }
}
