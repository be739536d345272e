/**
 * The safety layer around one run: the durable fault ledger, the target locks, the heartbeat, and
 * the dead-man switch process that reverts from the ledger if this runner dies.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, FiredrillError } from '../errors.js';
import { nodeEntry } from '../node-entry.js';
import type { UndoRecipe } from '../injectors/contract.js';
import type { Logger } from '../observability/logger.js';
import type { FaultLedger } from './fault-ledger.js';
import type { TargetInstance } from '../targets/contract.js';
import { readProcStat } from '../targets/process/proc.js';
import { Ledger, readLedger, type RunRecord } from './ledger.js';
import { selfIdentity } from './process-identity.js';
import { acquireLocks, releaseLocks, type AcquiredLocks } from './target-lock.js';

/** Runs get this long past maxDuration to finish reverting before the watchdog takes over. */
const DEADLINE_GRACE_MS = 120_000;
const HEARTBEAT_EVERY_MS = 250;

export interface RunSafetyOptions {
  stateDir: string;
  runId: string;
  drill: string;
  file: string;
  maxDurationMs: number;
  /** start the dead-man switch (on by default; tests of the runner alone may turn it off) */
  watchdog: boolean;
  heartbeatStaleMs?: number;
  logger: Logger;
}

export class RunSafety implements FaultLedger {
  readonly ledger: Ledger;
  readonly #options: RunSafetyOptions;
  readonly #record: RunRecord;
  readonly #heartbeat: NodeJS.Timeout;
  #locks: string[] = [];

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

  async #startWatchdog(): Promise<void> {
    const entry = nodeEntry(new URL('.', import.meta.url), 'watchdog-main');
    const args = [...entry.execArgv, entry.script, this.ledger.dir, String(this.#options.heartbeatStaleMs ?? 3000)];
    const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore' });
    child.unref();
    if (!child.pid) throw new FiredrillError('FD_PREFLIGHT_FAILED', 'could not start the dead-man switch; refusing to inject without it');
    const stat = await readProcStat(child.pid);
    this.#record.watchdog = { pid: child.pid, startTime: stat?.startTime ?? '0' };
    this.ledger.updateRecord(this.#record);
    this.#options.logger.debug({ pid: child.pid }, 'dead-man switch started');
  }

  #beat(): void {
    try {
      if (existsSync(this.ledger.dir)) writeFileSync(join(this.ledger.dir, 'heartbeat'), String(Date.now()));
    } catch {
      // a missed beat is what the watchdog is for
    }
  }

  /** Locks the target instances for this run (FD_TARGET_LOCKED when another live run holds one). */
  async lockTargets(instances: readonly TargetInstance[]): Promise<AcquiredLocks> {
    const locks = await acquireLocks(this.#options.stateDir, instances, { runId: this.#options.runId, drill: this.#options.drill, owner: this.#record.runner });
    this.#locks = locks.keys;
    this.#record.targets = locks.keys;
    this.ledger.updateRecord(this.#record);
    return locks;
  }

  /** A runner-managed process is running: if the runner dies, the watchdog stops it too. */
  targetStarted(name: string, instance: TargetInstance): void {
    this.intent(`target:${name}`, `stop runner-managed target ${name}`, { kind: 'kill-process', pid: instance.pid, startTime: instance.startTime });
  }

  intent(id: string, label: string, recipe: UndoRecipe): void {
    if (!existsSync(this.ledger.dir)) {
      throw new FiredrillError('FD_INJECT_FAILED', 'the run was already recovered by the dead-man switch; nothing more is injected');
    }
    this.ledger.intent(id, label, recipe);
  }

  update(id: string, recipe: UndoRecipe): void {
    this.#tolerant(() => this.ledger.update(id, recipe));
  }

  done(id: string): void {
    this.#tolerant(() => this.ledger.done(id));
  }

  failed(id: string, error: string): void {
    this.#tolerant(() => this.ledger.failed(id, error));
  }

  #tolerant(write: () => void): void {
    try {
      if (existsSync(this.ledger.dir)) write();
    } catch (e) {
      this.#options.logger.warn({ error: errorMessage(e) }, 'could not write the fault ledger');
    }
  }

  /** Ends the run: clears the ledger when nothing is open; otherwise leaves it for recovery. */
  end(): { cleared: boolean; open: number } {
    clearInterval(this.#heartbeat);
    const open = existsSync(this.ledger.dir) ? readLedger(this.ledger.dir).open.length : 0;
    if (open === 0) {
      releaseLocks(this.#options.stateDir, this.#locks);
      if (existsSync(this.ledger.dir)) this.ledger.close();
    }
    return { cleared: open === 0, open };
  }
}
