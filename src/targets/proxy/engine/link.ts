/**
 * One direction of a proxied connection: bytes read from `src` are written to `dst`. With no
 * toxic on the link this is plain piping (one branch per chunk, no timers, no copies); with
 * toxics, chunks pass through a chain of toxic streams that can be changed while data flows.
 */
import type { Socket } from 'node:net';
import type { StreamDirection } from './schema.js';
import type { ToxicOutput, ToxicStream } from './toxic.js';

// The sender is paused while the toxics on a link hold more than this, and resumed below the
// low mark: memory stays bounded however long a latency or stall lasts.
const HELD_HIGH_BYTES = 1 << 20;
const HELD_LOW_BYTES = 1 << 18;

// Why reading `src` is paused (bits): it resumes when no reason is left.
/** `dst` asked to wait for 'drain' */
const FOR_DRAIN = 1;
/** the toxics hold more than HELD_HIGH_BYTES */
const FOR_HELD = 2;
/** the link stopped reading for good */
const FOR_STOP = 4;

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
  private heldBytes = 0;
  /** FOR_* bits */
  private pausedFor = 0;
  private outEnded = false;

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
    if (this.pausedFor & FOR_STOP) return;
    if (this.head === null) {
      // the fast path: exactly what pipe() does
      if (!this.dst.write(chunk)) {
        this.pausedFor |= FOR_DRAIN;
        this.src.pause();
      }
      return;
    }
    this.head.push(chunk);
  };

  private readonly onEnd = (): void => {
    if (this.pausedFor & FOR_STOP) return;
    (this.head ?? this.tail).end();
  };

  private readonly onDrain = (): void => this.setPause(FOR_DRAIN, false);

  private writeOut(chunk: Buffer): void {
    if (this.outEnded || this.dst.destroyed) return;
    if (!this.dst.write(chunk) && !(this.pausedFor & FOR_DRAIN)) this.setPause(FOR_DRAIN, true);
  }

  private endOut(): void {
    if (this.outEnded) return;
    this.outEnded = true;
    if (!this.dst.destroyed && !this.dst.writableEnded) this.dst.end();
  }

  /** Accounts bytes held by toxics on this link, pausing or resuming the sender. */
  held(deltaBytes: number): void {
    this.heldBytes += deltaBytes;
    const held = (this.pausedFor & FOR_HELD) !== 0;
    if (!held && this.heldBytes > HELD_HIGH_BYTES) this.setPause(FOR_HELD, true);
    else if (held && this.heldBytes < HELD_LOW_BYTES) this.setPause(FOR_HELD, false);
  }

  /** Adds or clears a reason to pause, then pauses or resumes `src` to match. */
  private setPause(reason: number, on: boolean): void {
    this.pausedFor = on ? this.pausedFor | reason : this.pausedFor & ~reason;
    if (this.src.destroyed) return;
    const pause = this.pausedFor !== 0;
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
    this.setPause(FOR_STOP, true);
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
