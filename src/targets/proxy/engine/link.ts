/**
 * One direction of a proxied connection: bytes read from `src` are written to `dst`. With no
 * toxic on the link this is plain piping (one branch per chunk, no timers, no copies); with
 * toxics, chunks pass through a chain of toxic streams that can be changed while data flows.
 *
 * A source may read into one reused buffer (`readInto`, the upstream side: Node's `onread`), which
 * spares a Buffer and a trip through the Readable stream per read. The fast path then writes a view
 * of that buffer; when the write is not finished at once (the view is still queued on `dst`),
 * reading pauses until `dst` has taken every queued byte, so the buffer is never overwritten while
 * a write still needs it. On the toxic path the chunk is copied first: toxics hold chunks.
 */
import type { OnReadOpts, Socket } from 'node:net';
import type { StreamDirection } from './schema.js';
import type { ToxicOutput, ToxicStream } from './toxic.js';

// The sender is paused while the toxics on a link hold more than this, and resumed below the
// low mark: memory stays bounded however long a latency or stall lasts.
const HELD_HIGH_BYTES = 1 << 20;
const HELD_LOW_BYTES = 1 << 18;
/** Node reads at most 64 KiB at a time; so does a link's reused buffer. */
const READ_BUFFER_BYTES = 64 * 1024;

/** A toxic stream placed on a link, known by its key (fault id + settings). */
interface Stage {
  readonly key: string;
  stream: ToxicStream;
  /** where this stage's output goes: the next stage's input or the socket */
  next: ToxicOutput;
  readonly input: ToxicOutput;
}

/** A wanted stage: `open` receives the output the toxic stream must write to. */
export interface StageSpec {
  readonly key: string;
  open(out: ToxicOutput): ToxicStream;
}

export class Link {
  private stages: Stage[] = [];
  /** the first stage's input; null on the fast path */
  private head: ToxicOutput | null = null;
  private readonly tail: ToxicOutput;
  private needsDrain = false;
  private heldBytes = 0;
  private pausedForHeld = false;
  private stopped = false;
  private outEnded = false;
  /** the reused read buffer is still queued on `dst`: reading waits for `dst` to take it */
  private bufferBusy = false;

  constructor(
    readonly src: Socket,
    readonly dst: Socket,
    readonly direction: StreamDirection,
  ) {
    this.tail = { push: (chunk) => this.writeOut(chunk), end: () => this.endOut() };
  }

  /** Starts moving bytes. */
  start(): void {
    this.src.on('data', this.onData);
    this.src.on('end', this.onEnd);
    this.dst.on('drain', this.onDrain);
    this.src.resume();
  }

  /** True once this link has written its end (FIN) to `dst`. */
  get ended(): boolean {
    return this.outEnded;
  }

  /** The keys of the stages on this link, in order. */
  get stageKeys(): string[] {
    return this.stages.map((s) => s.key);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    if (this.head === null) {
      // the fast path: exactly what pipe() does
      if (!this.dst.write(chunk)) {
        this.needsDrain = true;
        this.src.pause();
      }
      return;
    }
    this.head.push(chunk);
  };

  /**
   * The `onread` option for the socket that will be this link's `src`: reads land in one buffer
   * that is reused while every write of it finishes at once (see the file comment).
   */
  static readInto(route: { link?: Link }): OnReadOpts {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    return {
      buffer,
      callback: (bytes) => {
        route.link?.receiveShared(buffer.subarray(0, bytes));
        return true;
      },
    };
  }

  private receiveShared(view: Buffer): void {
    if (this.stopped) return;
    if (this.head !== null) {
      this.head.push(Buffer.from(view));
      return;
    }
    const more = this.dst.write(view, this.onWritten);
    if (this.dst.writableLength > 0) {
      this.bufferBusy = true;
      if (!more) this.needsDrain = true;
      this.updateFlow();
    }
  }

  private readonly onWritten = (): void => {
    if (!this.bufferBusy || this.dst.writableLength > 0) return;
    this.bufferBusy = false;
    this.updateFlow();
  };

  private readonly onEnd = (): void => {
    if (this.stopped) return;
    (this.head ?? this.tail).end();
  };

  private readonly onDrain = (): void => {
    this.needsDrain = false;
    this.updateFlow();
  };

  private writeOut(chunk: Buffer): void {
    if (this.outEnded || this.dst.destroyed) return;
    if (!this.dst.write(chunk) && !this.needsDrain) {
      this.needsDrain = true;
      this.updateFlow();
    }
  }

  private endOut(): void {
    if (this.outEnded) return;
    this.outEnded = true;
    if (!this.dst.destroyed && !this.dst.writableEnded) this.dst.end();
  }

  /** Accounts bytes held by toxics on this link, pausing or resuming the sender. */
  held(deltaBytes: number): void {
    this.heldBytes += deltaBytes;
    if (!this.pausedForHeld && this.heldBytes > HELD_HIGH_BYTES) {
      this.pausedForHeld = true;
      this.updateFlow();
    } else if (this.pausedForHeld && this.heldBytes < HELD_LOW_BYTES) {
      this.pausedForHeld = false;
      this.updateFlow();
    }
  }

  private updateFlow(): void {
    if (this.src.destroyed) return;
    const pause = this.stopped || this.needsDrain || this.pausedForHeld || this.bufferBusy;
    if (pause && !this.src.isPaused()) this.src.pause();
    else if (!pause && this.src.isPaused()) this.src.resume();
  }

  /**
   * Makes the chain match `wanted`: stages no longer wanted hand what they hold to their successor
   * and go; kept stages keep their state and order; new stages are added (at the front when
   * `front` names them, else at the end). Every toxic is first-in-first-out, so no change can
   * reorder bytes.
   */
  update(wanted: readonly StageSpec[], front: ReadonlySet<string> = new Set()): void {
    const keys = new Set(wanted.map((w) => w.key));
    for (const stage of [...this.stages]) if (!keys.has(stage.key)) this.remove(stage);
    const have = new Set(this.stages.map((s) => s.key));
    for (const spec of wanted) {
      if (have.has(spec.key)) continue;
      this.insert(spec, front.has(spec.key) ? 0 : this.stages.length);
    }
  }

  /** Removes the stage with `key`, if present, flushing what it holds. */
  removeStage(key: string): void {
    const stage = this.stages.find((s) => s.key === key);
    if (stage) this.remove(stage);
  }

  private insert(spec: StageSpec, at: number): void {
    const next = this.stages[at]?.input ?? this.tail;
    // the stage's output is late-bound so later rewiring reaches a toxic that keeps its `out`
    const stage: Stage = {
      key: spec.key,
      stream: { write: () => undefined },
      next,
      input: {
        push: (chunk) => stage.stream.write(chunk),
        end: () => (stage.stream.end ? stage.stream.end() : stage.next.end()),
      },
    };
    stage.stream = spec.open({ push: (chunk) => stage.next.push(chunk), end: () => stage.next.end() });
    this.stages.splice(at, 0, stage);
    this.rewire();
  }

  private remove(stage: Stage): void {
    const i = this.stages.indexOf(stage);
    if (i < 0) return;
    this.stages.splice(i, 1);
    this.rewire();
    // after rewiring, what the stage still holds goes to its successor, ahead of anything newer
    stage.stream.flush?.();
    stage.stream.dispose?.();
  }

  private rewire(): void {
    for (let i = 0; i < this.stages.length; i++) {
      (this.stages[i] as Stage).next = this.stages[i + 1]?.input ?? this.tail;
    }
    this.head = this.stages[0]?.input ?? null;
  }

  /** Stops reading `src`; data already in the chain still flows out. */
  stopReading(): void {
    this.stopped = true;
    this.updateFlow();
  }

  /** Stops reading, drops what the toxics hold and ends `dst` now. */
  abort(): void {
    this.stopReading();
    this.dispose();
    this.endOut();
  }

  /** Drops every stage without flushing (the connection is gone). */
  dispose(): void {
    const stages = this.stages;
    this.stages = [];
    this.head = null;
    for (const stage of stages) stage.stream.dispose?.();
  }
}
