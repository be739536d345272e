/**
 * The safety layer around one run: the durable fault ledger, the target locks, the heartbeat, and
 * the dead-man switch process that holds its own copy of every undo recipe and reverts if this
 * runner dies.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, FiredrillError } from '../errors.js';
import { nodeEntry } from '../node-entry.js';
import type { UndoRecipe } from '../injectors/contract.js';
import type { Journal } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import type { FaultLedger } from './fault-ledger.js';
import type { TargetInstance } from '../targets/contract.js';
import { readProcStat } from '../targets/process/proc.js';
import { Ledger, type RunRecord } from './ledger.js';
import { readLedger } from './ledger-read.js';
import { selfIdentity } from './process-identity.js';
import { findAbandonedRuns, JOURNAL_CHECKPOINT, recoverCommandText } from './recover.js';
import { acquireLocks, lockKey, releaseLocks, type AcquiredLocks } from './target-lock.js';
import { isolationNote, systemdPresent } from './watchdog/launch.js';
import { WatchdogLink } from './watchdog/link.js';

/** Runs get this long past maxDuration to finish reverting before the watchdog takes over. */
const DEADLINE_GRACE_MS = 120_000;
const HEARTBEAT_EVERY_MS = 250;

export interface RunSafetyOptions {
  stateDir: string;
  runId: string;
  drill: string;
  file: string;
  maxDurationMs: number;
  /** the run's report folder: a crashed run's journal is written there */
  reportDir?: string;
  /** start the dead-man switch (on by default; tests of the runner alone may turn it off) */
  watchdog: boolean;
  heartbeatStaleMs?: number;
  logger: Logger;
  /** for tests: pretend systemd is (not) there */
  systemd?: boolean;
}

export class RunSafety implements FaultLedger {
  readonly ledger: Ledger;
  readonly #options: RunSafetyOptions;
  readonly #record: RunRecord;
  readonly #heartbeat: NodeJS.Timeout;
  #locks: string[] = [];
  #link: WatchdogLink | undefined;
  /** 'done'/'failed' records not yet appended (see #later) */
  readonly #deferred: (() => void)[] = [];

  private constructor(options: RunSafetyOptions, record: RunRecord) {
    this.#options = options;
    this.#record = record;
    this.ledger = new Ledger(options.stateDir, record);
    this.#beat();
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_EVERY_MS);
    this.#heartbeat.unref();
  }

  /** Creates the ledger and starts the dead-man switch; nothing is injected before this returns. */
  static async begin(options: RunSafetyOptions): Promise<RunSafety> {
    const now = Date.now();
    const record: RunRecord = {
      runId: options.runId,
      drill: options.drill,
      file: options.file,
      runner: await selfIdentity(),
      startedAt: new Date(now).toISOString(),
      deadline: new Date(now + options.maxDurationMs + DEADLINE_GRACE_MS).toISOString(),
      targets: [],
      ...(options.reportDir ? { reportDir: options.reportDir } : {}),
    };
    const safety = new RunSafety(options, record);
    if (options.watchdog) await safety.#startWatchdog();
    return safety;
  }

  get dir(): string {
    return this.ledger.dir;
  }

  /** The per-run stop file `firedrill abort` writes. */
  get stopFile(): string {
    return join(this.ledger.dir, 'STOP');
  }

  /** Where the dead-man switch runs, in words (for the log and the plan). */
  get watchdogNote(): string | undefined {
    return this.#record.watchdog?.isolation ? isolationNote(this.#record.watchdog.isolation) : undefined;
  }

  async #startWatchdog(): Promise<void> {
    const entry = nodeEntry(new URL('../cli/', import.meta.url), 'watchdog-main');
    const args = [this.ledger.dir, String(this.#options.heartbeatStaleMs ?? 3000)];
    let started;
    try {
      started = await WatchdogLink.start({ entry, args, runId: this.#options.runId, systemd: this.#options.systemd ?? systemdPresent() });
    } catch (e) {
      throw new FiredrillError('FD_PREFLIGHT_FAILED', `could not start the dead-man switch (${errorMessage(e)}); refusing to inject without it`);
    }
    if (started.fallback) this.#options.logger.warn(started.fallback);
    this.#link = started.link;
    const stat = await readProcStat(started.link.pid);
    this.#record.watchdog = { pid: started.link.pid, startTime: stat?.startTime ?? '0', isolation: started.link.isolation };
    this.ledger.updateRecord(this.#record);
    this.#link.tell({ type: 'record', record: this.#record });
    this.#options.logger.debug({ pid: started.link.pid, isolation: started.link.isolation }, 'dead-man switch started');
  }

  #beat(): void {
    try {
      if (existsSync(this.ledger.dir)) writeFileSync(join(this.ledger.dir, 'heartbeat'), String(Date.now()));
    } catch {
      // a missed beat is what the watchdog is for
    }
    this.#link?.tell({ type: 'beat' });
  }

  /**
   * Locks the target instances for this run (FD_TARGET_LOCKED when another live run holds one, or
   * when an abandoned run that may have left a fault holds one: then `firedrill recover` first).
   */
  async lockTargets(instances: readonly TargetInstance[]): Promise<AcquiredLocks> {
    const abandoned = await findAbandonedRuns(this.#options.stateDir);
    const risky = new Map(abandoned.filter((a) => a.mayHoldFaults).map((a) => [a.runId, a]));
    const command = recoverCommandText(this.#options.stateDir);
    // a lock file may be gone while the abandoned run's record still names the target
    for (const instance of instances) {
      const left = [...risky.values()].find((a) => a.state?.record?.targets.includes(lockKey(instance)));
      if (left) {
        throw new FiredrillError('FD_TARGET_LOCKED', `${instance.container ? `container ${instance.container.name}` : `pid ${instance.pid}`} belongs to abandoned run ${left.runId} (${left.state?.record?.drill ?? '?'}): ${left.reason}, and it may have left a fault on it. Run \`${command}\` first (nothing was injected)`, { runId: left.runId, recover: command });
      }
    }
    const locks = await acquireLocks(this.#options.stateDir, instances, { runId: this.#options.runId, drill: this.#options.drill, owner: this.#record.runner }, (holder, instance) => {
      const left = risky.get(holder.runId);
      if (!left) return undefined;
      const what = left.state && left.state.damage.length > 0 ? 'its fault ledger is damaged' : `it left ${left.state?.open.length ?? '?'} fault(s) open`;
      return new FiredrillError(
        'FD_TARGET_LOCKED',
        `${instance.container ? `container ${instance.container.name}` : `pid ${instance.pid}`} belongs to abandoned run ${holder.runId} (${holder.drill}): ${left.reason}, and ${what}. Run \`${command}\` first (nothing was injected)`,
        { runId: holder.runId, recover: command },
      );
    });
    this.#locks = locks.keys;
    this.#record.targets = locks.keys;
    this.ledger.updateRecord(this.#record);
    this.#link?.tell({ type: 'record', record: this.#record });
    return locks;
  }

  /** What the runner knows of the run so far, for the report of a run whose runner dies. */
  checkpoint(journal: Journal): void {
    const seed = { ...journal, samples: [] };
    try {
      if (existsSync(this.ledger.dir)) writeFileSync(join(this.ledger.dir, JOURNAL_CHECKPOINT), JSON.stringify(seed), { mode: 0o600 });
    } catch (e) {
      this.#options.logger.warn({ error: errorMessage(e) }, 'could not write the journal checkpoint');
    }
    this.#link?.tell({ type: 'journal', journal: seed });
  }

  /** A runner-managed process is running: if the runner dies, the watchdog stops it too. */
  targetStarted(name: string, instance: TargetInstance): void {
    const id = `target:${name}`;
    const label = `stop runner-managed target ${name}`;
    const recipe: UndoRecipe = { kind: 'kill-process', pid: instance.pid, startTime: instance.startTime };
    this.flush();
    this.#tolerant(() => this.ledger.intent(id, label, recipe));
    // already running: no apply to hold back, so no need to wait for the acknowledgement
    this.#link?.hand({ type: 'intent', id, label, recipe, at: new Date().toISOString() }).catch((e: unknown) => this.#options.logger.warn({ error: errorMessage(e) }, 'the dead-man switch did not take the managed target'));
  }

  async intent(id: string, label: string, recipe: UndoRecipe): Promise<void> {
    this.flush();
    if (!existsSync(this.ledger.dir)) {
      throw new FiredrillError('FD_INJECT_FAILED', 'the run\'s fault ledger is gone (recovered by the dead-man switch, or deleted); nothing more is injected');
    }
    this.ledger.intent(id, label, recipe);
    // the dead-man switch holds its own copy before the fault acts
    if (this.#link) await this.#link.hand({ type: 'intent', id, label, recipe, at: new Date().toISOString() });
  }

  update(id: string, recipe: UndoRecipe): void {
    this.flush();
    this.#link?.tell({ type: 'update', id, recipe, at: new Date().toISOString() });
    this.#tolerant(() => this.ledger.update(id, recipe));
  }

  done(id: string): void {
    this.#link?.tell({ type: 'done', id, at: new Date().toISOString() });
    this.#later(() => this.#tolerant(() => this.ledger.done(id)));
  }

  failed(id: string, error: string): void {
    this.#link?.tell({ type: 'failed', id, error, at: new Date().toISOString() });
    this.#later(() => this.#tolerant(() => this.ledger.failed(id, error)));
  }

  /**
   * A revert's 'done' is appended on the next turn of the event loop, not in the revert's own call
   * stack: the append fsyncs (tens of ms on a busy disk), and during an unwind the next fault's
   * undo would wait for it. Nothing is lost by the delay: the dead-man switch heard 'done' at once,
   * and a fault recorded as still open is only reverted once more (every undo is idempotent).
   * Every other ledger operation appends what is deferred first, so the order on disk is kept.
   */
  #later(write: () => void): void {
    this.#deferred.push(write);
    if (this.#deferred.length === 1) setImmediate(() => this.flush());
  }

  /** Appends the deferred 'done'/'failed' records now. */
  flush(): void {
    for (let write = this.#deferred.shift(); write; write = this.#deferred.shift()) write();
  }

  #tolerant(write: () => void): void {
    try {
      if (existsSync(this.ledger.dir)) write();
    } catch (e) {
      this.#options.logger.warn({ error: errorMessage(e) }, 'could not write the fault ledger');
    }
  }

  /**
   * Ends the run: clears the ledger when nothing is open. A damaged ledger is kept as evidence
   * (`recover` reports it); open entries are kept for `recover`.
   */
  end(): { cleared: boolean; open: number; damage: string[] } {
    clearInterval(this.#heartbeat);
    this.flush();
    const state = existsSync(this.ledger.dir) ? readLedger(this.ledger.dir) : undefined;
    const damage = state ? state.damage.map((d) => `${d.file}${d.line ? ` line ${d.line}` : ''}: ${d.what}`) : [`${this.ledger.dir}: the run folder is missing`];
    const open = state?.open.length ?? 0;
    const cleared = open === 0 && damage.length === 0;
    if (cleared) {
      releaseLocks(this.#options.stateDir, this.#locks);
      this.ledger.close();
    }
    this.#link?.end(open === 0);
    return { cleared, open, damage };
  }
}
