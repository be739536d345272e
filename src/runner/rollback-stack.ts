/**
 * The rollback stack: every fault's undo is pushed here before the fault acts. Undos run LIFO,
 * each at most once successfully, retried with backoff, each attempt bounded by a timeout.
 * Unwinding never throws and cannot be cancelled by the operator: a second Ctrl-C does not skip it.
 */
import { systemClock, type Clock } from '../clock/clock.js';
import { errorMessage } from '../errors.js';
import { withTimeout } from './with-timeout.js';
import { mark } from '../observability/revert-timeline.js';

export type UndoState = 'pending' | 'running' | 'done' | 'failed';

export interface UndoOutcome {
  id: number;
  label: string;
  ok: boolean;
  attempts: number;
  durationMs: number;
  error?: string;
}

export interface RollbackOptions {
  timeoutMs: number;
  retries: number;
  /** hosts (lanes) unwound at once (default: all) */
  parallel?: number;
  /** first retry delay; doubles each time */
  backoffMs?: number;
  /** times each undo, bounds it and waits out the backoff (default: the system clock) */
  clock?: Clock;
  onUndoStart?: (entry: { id: number; label: string }) => void;
  onUndoEnd?: (outcome: UndoOutcome) => void;
}

interface Entry {
  id: number;
  label: string;
  undo: (signal: AbortSignal) => Promise<void>;
  onEnd?: (outcome: UndoOutcome) => void;
  /** siblings (the instances of one fault) that may be undone together */
  group?: string;
  /** the remote host it acts on: each host unwinds on its own (undefined: this machine) */
  lane?: string;
  /** depends on no other undo and none on it: unwound at once, not in its LIFO turn */
  independent?: boolean;
  state: UndoState;
  running?: Promise<UndoOutcome>;
  outcome?: UndoOutcome;
}

export class RollbackStack {
  readonly #entries: Entry[] = [];
  readonly #options: Required<Omit<RollbackOptions, 'onUndoStart' | 'onUndoEnd' | 'parallel'>> & RollbackOptions;
  #nextId = 1;
  #unwinding?: Promise<UndoOutcome[]>;

  constructor(options: RollbackOptions) {
    this.#options = { backoffMs: 100, clock: systemClock, ...options };
  }

  /**
   * Registers an undo; returns its id (for an early, targeted revert). `onEnd` hears how it ended.
   * Undos pushed one after another with the same `group` (the instances of one fault) are
   * independent of each other, so the unwind runs them together; groups still come off LIFO.
   * An undo with a `lane` (the remote host it acts on) comes off LIFO among that host's undos only.
   * An `independent` undo (it ends what the runner itself started, e.g. a stress worker: no other
   * fault's revert needs it gone first or still there) starts as soon as the unwind does, beside
   * the newest, instead of waiting for every newer undo to finish.
   */
  push(label: string, undo: (signal: AbortSignal) => Promise<void>, onEnd?: (outcome: UndoOutcome) => void, group?: string, lane?: string, independent?: boolean): number {
    const id = this.#nextId++;
    this.#entries.push({
      id,
      label,
      undo,
      state: 'pending',
      ...(onEnd ? { onEnd } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(lane !== undefined ? { lane } : {}),
      ...(independent ? { independent } : {}),
    });
    return id;
  }

  /** Undos not yet done (pending, running or failed). */
  get outstanding(): { id: number; label: string; state: UndoState }[] {
    return this.#entries.filter((e) => e.state !== 'done').map(({ id, label, state }) => ({ id, label, state }));
  }

  /** Runs one undo now (a fault whose duration ended); shares the run if it is already going. */
  revert(id: number): Promise<UndoOutcome> {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry) return Promise.resolve({ id, label: '?', ok: false, attempts: 0, durationMs: 0, error: `no undo with id ${id}` });
    return this.#run(entry);
  }

  /**
   * Runs every outstanding undo, newest first. Concurrent calls share one unwind. Each remote host
   * (lane) unwinds on its own, concurrently with this machine's undos and the other hosts' (at most
   * `parallel` hosts at once): undos on different machines touch different things, so a slow or
   * unreachable host never holds back the revert anywhere else. Within a lane the order is LIFO.
   */
  unwindAll(): Promise<UndoOutcome[]> {
    if (this.#unwinding) return this.#unwinding;
    this.#unwinding = (async () => {
      const open = [...this.#entries].reverse().filter((e) => e.state !== 'done');
      const local = open.filter((e) => e.lane === undefined);
      const remote = new Map<string, Entry[]>();
      for (const e of open) if (e.lane !== undefined) remote.set(e.lane, [...(remote.get(e.lane) ?? []), e]);
      const lanes = [...remote.values()];
      let next = 0;
      const hostWorker = async (): Promise<UndoOutcome[]> => {
        const out: UndoOutcome[] = [];
        for (let i = next++; i < lanes.length; i = next++) out.push(...(await this.#unwindLane(lanes[i] as Entry[])));
        return out;
      };
      const workers = Math.max(0, Math.min(this.#options.parallel ?? lanes.length, lanes.length));
      // the newest of the ordered ones acts first, then each independent one, all within this call
      // (a stress stop's kill hands the CPU to the dying: what was paused resumes before that)
      const independent = local.filter((e) => e.independent);
      const ordered = local.filter((e) => !e.independent);
      const results = await Promise.all([
        this.#unwindLane(ordered),
        ...independent.map(async (e) => [await this.#run(e)]),
        ...Array.from({ length: Math.max(workers, lanes.length > 0 ? 1 : 0) }, hostWorker),
      ]);
      return results.flat();
    })().finally(() => {
      this.#unwinding = undefined;
    });
    return this.#unwinding;
  }

  /** One lane's undos, newest first; neighbours of one group run together. */
  async #unwindLane(open: Entry[]): Promise<UndoOutcome[]> {
    const outcomes: UndoOutcome[] = [];
    for (let i = 0; i < open.length; ) {
      const first = open[i] as Entry;
      let end = i + 1;
      while (first.group !== undefined && end < open.length && open[end]?.group === first.group) end++;
      outcomes.push(...(await Promise.all(open.slice(i, end).map((e) => this.#run(e)))));
      i = end;
    }
    return outcomes;
  }

  #run(entry: Entry): Promise<UndoOutcome> {
    if (entry.state === 'done' && entry.outcome) return Promise.resolve(entry.outcome);
    if (entry.running) return entry.running;
    entry.state = 'running';
    entry.running = this.#attempt(entry).finally(() => {
      entry.running = undefined;
    });
    return entry.running;
  }

  async #attempt(entry: Entry): Promise<UndoOutcome> {
    const { timeoutMs, retries, backoffMs, clock } = this.#options;
    const now = () => clock.now();
    const started = now();
    mark(`undo start: ${entry.label}`);
    this.#options.onUndoStart?.({ id: entry.id, label: entry.label });
    let lastError = '';
    let attempts = 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      attempts++;
      try {
        await withTimeout(clock, timeoutMs, `undo "${entry.label}"`, entry.undo);
        mark(`undo done: ${entry.label}`);
        entry.state = 'done';
        entry.outcome = { id: entry.id, label: entry.label, ok: true, attempts, durationMs: now() - started };
        this.#ended(entry, entry.outcome);
        return entry.outcome;
      } catch (e) {
        lastError = errorMessage(e);
        if (attempt < retries) await clock.sleep(backoffMs * 2 ** attempt);
      }
    }
    entry.state = 'failed';
    const outcome = { id: entry.id, label: entry.label, ok: false, attempts, durationMs: now() - started, error: lastError };
    entry.outcome = outcome;
    this.#ended(entry, outcome);
    return outcome;
  }

  #ended(entry: Entry, outcome: UndoOutcome): void {
    for (const listener of [entry.onEnd, this.#options.onUndoEnd]) {
      try {
        listener?.(outcome);
      } catch {
        // a listener must never stop the unwind
      }
    }
  }
}
