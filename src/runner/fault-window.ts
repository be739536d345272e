/**
 * The fault window: each fault starts at its offset, stays for its duration, and is reverted on
 * time. Every action's undo goes on the rollback stack before the action is applied, and an undo
 * waits (bounded) for its own apply to settle, so a trip in the middle of an apply cannot revert
 * first and leave the fault behind.
 */
import { formatDurationMs } from '../drill/duration.js';
import { faultId } from '../drill/fault-id.js';
import type { Drill, FaultSpec } from '../drill/schema.js';
import { errorMessage } from '../errors.js';
import type { FaultAction, Injector, InjectorContext, ManagedTargets, ProxyTargets as ProxyTargetsContract } from '../injectors/contract.js';
import { undoKindOf } from '../injectors/registry.js';
import type { FaultRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { TargetInstance } from '../targets/contract.js';
import { sleepUnlessAborted, type Clock } from '../clock/clock.js';
import type { FaultLedger } from '../safety/fault-ledger.js';
import type { JournalRecorder } from './journal-recorder.js';
import type { RollbackStack, UndoOutcome } from './rollback-stack.js';
import { settleBounded } from '../targets/hosts/bounded.js';

export interface FaultWindowOptions {
  drill: Drill;
  selected: ReadonlyMap<string, TargetInstance[]>;
  managed: ManagedTargets;
  rollback: RollbackStack;
  recorder: JournalRecorder;
  logger: Logger;
  clock: Clock;
  /** aborted by the kill switch (or any trip): stop injecting, reverting is the stack's job */
  stop: AbortSignal;
  onInjectFailed: (reason: string) => void;
  /** the durable fault ledger, when the run has one */
  ledger?: FaultLedger;
  proxies?: ProxyTargetsContract;
  /** names what faults create (nft tables, qdisc handles) so leftovers are findable */
  runId?: string;
  /** the injector registry's lookup (replaceable for unit tests of the runner) */
  injectorFor: (fault: FaultSpec) => Pick<Injector, 'preflight' | 'plan'>;
  /** remote hosts injected (and reverted) at once, each host's actions in order (default 1) */
  parallel?: number;
  /** wraps each planned action (remote hosts: hand the undo to the host's lease first) */
  wrap?: (action: FaultAction) => FaultAction;
}

/** How long an undo waits for its own, still running apply before it acts anyway. */
const APPLY_SETTLE_MS = 2000;

/** Waits until `work` settles, at most `ms`; the timer goes with it (a live timer keeps the process up). */
async function settledOrAfter(work: Promise<unknown>, clock: Clock, ms: number): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([work.catch(() => undefined), clock.sleep(ms, timer.signal).catch(() => undefined)]);
  } finally {
    timer.abort();
  }
}

export class FaultWindow {
  readonly #o: FaultWindowOptions;

  constructor(options: FaultWindowOptions) {
    this.#o = options;
  }

  #context(fault: FaultSpec, index: number): InjectorContext {
    // injectors see the fault under the id the journal uses
    return { fault: { ...fault, id: faultId(fault, index) }, instances: this.#o.selected.get(fault.target) ?? [], managed: this.#o.managed, ...(this.#o.proxies ? { proxies: this.#o.proxies } : {}), ...(this.#o.runId ? { runId: this.#o.runId } : {}), logger: this.#o.logger, signal: this.#o.stop };
  }

  /** Asks every injector whether its fault can be applied here; returns the problems. */
  async preflight(): Promise<string[]> {
    const problems: string[] = [];
    for (const [i, fault] of this.#o.drill.faults.entries()) {
      const injector = this.#o.injectorFor(fault);
      const found = (await injector.preflight?.(this.#context(fault, i))) ?? [];
      problems.push(...found.map((p) => `${faultId(fault, i)}: ${p}`));
    }
    return problems;
  }

  /** Injects every fault on schedule and reverts each when its duration ends (or when stopped). */
  async run(): Promise<void> {
    await Promise.all(this.#o.drill.faults.map((fault, i) => this.#runFault(fault, i)));
  }

  async #runFault(fault: FaultSpec, index: number): Promise<void> {
    const { rollback, clock, stop } = this.#o;
    const id = faultId(fault, index);
    if (fault.startAfter > 0 && !(await sleepUnlessAborted(clock, fault.startAfter, stop))) return;
    const injector = this.#o.injectorFor(fault);
    const planned = await injector.plan(this.#context(fault, index));
    const wrap = this.#o.wrap;
    const actions = wrap ? planned.map((a) => wrap(a)) : planned;
    const undoIds: { undoId: number; record: FaultRecord }[] = [];
    // each remote host is a lane of its own: hosts are injected concurrently (at most `parallel` at
    // once), the actions on one host (and every local action) one after another, as before
    const lanes = new Map<string, FaultAction[]>();
    for (const action of actions) {
      const lane = action.instance?.host ?? '';
      lanes.set(lane, [...(lanes.get(lane) ?? []), action]);
    }
    let failed = false;
    await settleBounded([...lanes.values()], this.#o.parallel ?? 1, async (laneActions) => {
      for (const action of laneActions) {
        // one failed action stops every lane from starting more (the trip that follows reverts all)
        if (failed || !(await this.#inject(action, fault, id, undoIds))) {
          failed = true;
          break;
        }
      }
    });

    if (undoIds.some((u) => u.record.status === 'injected')) {
      await sleepUnlessAborted(clock, fault.duration, stop);
    }
    // planned end: revert this fault's actions. After a trip the stack's unwind owns
    // the revert, so every fault comes off in LIFO order across faults, not each on its own.
    if (stop.aborted) return;
    // the actions of one fault act on different instances: undo them together (at most `parallel` at
    // once; each settles on its own, so a slow host holds back no other)
    await settleBounded(undoIds, this.#o.parallel ?? Infinity, ({ undoId }) => rollback.revert(undoId));
  }


  /** Plans, registers and applies one action; false when the lane must stop (stopped or failed). */
  async #inject(action: FaultAction, fault: FaultSpec, id: string, undoIds: { undoId: number; record: FaultRecord }[]): Promise<boolean> {
    const { rollback, recorder: rec, clock, stop } = this.#o;
    const record = rec.fault({
      // a remote host's pids are its own: the host is part of the record's id
      id: action.instance ? `${id}/${action.instance.host !== undefined ? `${action.instance.host}:` : ''}${action.instance.pid}` : id,
      faultId: id,
      type: fault.type,
      target: fault.target,
      ...(action.instance ? { instance: { pid: action.instance.pid, command: action.instance.command, ...(action.instance.host !== undefined ? { host: action.instance.host } : {}) } } : {}),
      label: action.label,
      undo: action.undoRecipe,
      plannedStartT: rec.t(),
      plannedDurationMs: fault.duration,
      revertAttempts: 0,
      status: 'planned',
    });
    if (stop.aborted) {
      record.status = 'not-injected';
      return false;
    }
    if (!undoKindOf(action.undoRecipe)) {
      // an undo nobody can replay from the ledger is no undo: refuse before anything changes
      record.status = 'not-injected';
      record.error = `its undo recipe is of kind "${action.undoRecipe.kind}", which no injector registers; not injecting`;
      this.#o.onInjectFailed(`${action.label}: ${record.error}`);
      return false;
    }
    try {
      // durable before anything changes: if this process dies, the dead-man switch undoes it
      await this.#o.ledger?.intent(record.id, action.label, action.undoRecipe);
    } catch (e) {
      record.status = 'not-injected';
      record.error = errorMessage(e);
      this.#o.onInjectFailed(`${action.label}: ${record.error}`);
      return false;
    }
    if (stop.aborted) {
      // tripped while the recipe was being handed over: nothing was applied
      record.status = 'not-injected';
      this.#o.ledger?.done(record.id);
      return false;
    }
    let applied: Promise<void> = Promise.resolve();
    let appliedSettled = false;
    const undoId = rollback.push(
      action.label,
      async (signal) => {
        // wait for our own apply to settle (bounded), so the undo cannot run before the change lands;
        // long settled (the usual case after a trip): no await, the revert acts in the caller's call
        if (!appliedSettled) await settledOrAfter(applied, clock, APPLY_SETTLE_MS);
        record.revertStartT ??= rec.t();
        record.revertAttempts++;
        await action.revert(signal);
      },
      (outcome) => this.#finish(record, outcome),
      id,
      action.instance?.host,
      action.independent,
    );
    undoIds.push({ undoId, record });
    rec.event('inject', `injecting ${action.label}`, { fault: id, type: fault.type }, 'fault');
    applied = action.apply(stop);
    applied.then(
      () => (appliedSettled = true),
      () => (appliedSettled = true),
    );
    try {
      await applied;
      // apply may have created what the undo must name (a worker pid, paused children)
      this.#o.ledger?.update(record.id, action.undoRecipe);
      record.undo = action.undoRecipe;
      record.status = 'injected';
      record.injectedT = rec.t();
      rec.event('inject', `injected ${action.label}`, { fault: id, pid: action.instance?.pid }, 'fault');
      rec.faultChanged(record);
    } catch (e) {
      // a half-done apply names what it did change (the children it paused, the worker it started)
      record.undo = action.undoRecipe;
      record.status = 'inject-failed';
      record.error = errorMessage(e);
      rec.event('inject-failed', `could not inject ${action.label}: ${record.error}`, { fault: id }, 'fault');
      rec.faultChanged(record);
      this.#o.onInjectFailed(`${action.label}: ${record.error}`);
      return false;
    }
    return true;
  }

  #finish(record: FaultRecord, outcome: UndoOutcome): void {
    const rec = this.#o.recorder;
    // the moment the undo completed, before any bookkeeping below
    const endT = rec.t();
    if (outcome.ok) this.#o.ledger?.done(record.id);
    else this.#o.ledger?.failed(record.id, outcome.error ?? 'unknown');
    if (outcome.ok) {
      record.revertedT = endT;
      // an apply that failed half-way keeps its status; its cleanup still counts as the revert
      if (record.status === 'injected') record.status = 'reverted';
      const held = record.injectedT !== undefined ? ` after ${formatDurationMs(endT - record.injectedT)}` : '';
      rec.event('revert', `reverted ${record.label}${held} (undo took ${formatDurationMs(outcome.durationMs)})`, { fault: record.id, durationMs: outcome.durationMs }, 'fault');
    } else {
      record.status = 'revert-failed';
      record.error = outcome.error;
      rec.event('revert-failed', `REVERT FAILED for ${record.label} after ${outcome.attempts} attempts: ${outcome.error}`, { fault: record.id }, 'fault');
      this.#o.logger.error({ fault: record.id, error: outcome.error }, `REVERT FAILED: ${record.label}`);
    }
    rec.faultChanged(record);
  }
}
