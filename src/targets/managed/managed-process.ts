/**
 * A process the runner starts before the drill and stops after it (`targets.<name>.start`). It runs
 * detached in its own process group: a Ctrl-C in the terminal reaches only the runner, which reverts
 * the faults first and then stops its targets.
 */
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { formatDurationMs } from '../../values/duration.js';
import { FiredrillError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { TargetInstance } from '../contract.js';
import { toInstance } from '../instance.js';
import { readCmdline, readProcStat } from '../process/proc.js';
import { awaitReady } from './await-ready.js';
import { mainPid } from './main-pid.js';
import { OutputBuffer } from './output-buffer.js';
import { readinessChecks } from './readiness/readiness-checks.js';
import { spawnInGroup, type GroupRun } from './spawn-in-group.js';
import { describeExit, startFailedError } from './start-error.js';
import { stopGroup } from './stop-group.js';

export type { StartSpec } from './schema.js';
import type { StartSpec } from './schema.js';

export interface ManagedProcessOptions {
  /** `cwd` in the spec is relative to this (the drill file's folder) */
  baseDir: string;
  logger: Logger;
}

/** Without a `ready:` check, a process that stays alive this long counts as started. */
const MIN_ALIVE_MS = 200;
/** What the schema defaults `ready.timeout` to; used only when `ready` is absent and no check runs. */
const DEFAULT_READY_TIMEOUT_MS = 15_000;

export class ManagedProcess {
  readonly name: string;
  readonly #spec: StartSpec;
  readonly #baseDir: string;
  readonly #logger: Logger;
  readonly #output = new OutputBuffer(200);
  /** `pid:startTime` of every instance this object started, so stale instances are still recognised */
  readonly #started = new Set<string>();
  #run?: GroupRun;
  #instance?: TargetInstance;
  #stopping?: Promise<void>;
  #restarting?: Promise<TargetInstance>;

  constructor(name: string, spec: StartSpec, options: ManagedProcessOptions) {
    this.name = name;
    this.#spec = spec;
    this.#baseDir = options.baseDir;
    this.#logger = options.logger.child({ target: name });
  }

  /** The instance of the last successful start (it may have exited since). */
  get instance(): TargetInstance | undefined {
    return this.#instance;
  }

  /** The last ~200 lines it printed, stdout and stderr interleaved. */
  recentOutput(): string {
    return this.#output.text();
  }

  /** True when this object started `instance`, now or in an earlier run. */
  owns(instance: TargetInstance): boolean {
    return this.#started.has(`${instance.pid}:${instance.startTime}`);
  }

  /** Spawns the command and waits until it is ready; on any failure the process group is gone before this throws. */
  async start(signal: AbortSignal): Promise<TargetInstance> {
    signal.throwIfAborted();
    if (this.#run && !this.#run.exit) {
      throw new FiredrillError('FD_INTERNAL', `target "${this.name}" is already running; stop or restart it instead`, { target: this.name });
    }
    // a previous run may have left children behind in its group (e.g. the shell died, the server did not)
    await this.stop();
    const checks = readinessChecks(this.#spec.ready, this.#output);
    const cwd = resolvePath(this.#baseDir, this.#spec.cwd ?? '.');
    await this.#assertDirectory(cwd);
    for (const check of checks) {
      if (check.answersAlready && (await check.answersAlready(signal))) {
        throw this.#failure(`something else already answers ${check.label} before it was started; stop that process or change the port, or the drill would test the wrong process`);
      }
    }
    signal.throwIfAborted();

    const run = await this.#spawn(cwd);
    this.#logger.info({ pid: run.pgid, command: this.#display() }, 'started target, waiting until it is ready');
    const timeoutMs = this.#spec.ready?.timeout ?? DEFAULT_READY_TIMEOUT_MS;
    const outcome = await awaitReady({ checks, exited: run.exited, timeoutMs, minAliveMs: MIN_ALIVE_MS, signal });
    const pid = outcome.kind === 'ready' && !run.exit ? await this.#targetPid(run) : undefined;
    const procStat = pid === undefined ? undefined : await readProcStat(pid);

    if (pid === undefined || procStat === undefined || run.exit) {
      await this.stop();
      if (outcome.kind === 'aborted') throw signal.reason;
      const exit = run.exit;
      if (outcome.kind === 'timeout') {
        const why = outcome.pending.length > 0 ? ` (${outcome.pending.join('; ')})` : '';
        throw this.#failure(`it was not ready within ${formatDurationMs(timeoutMs)}${why}; it was stopped`, { pid: run.pgid, timedOut: true });
      }
      throw this.#failure(`it ${exit ? describeExit(exit.code, exit.signal) : 'exited'} before it was ready`, {
        pid: run.pgid,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
      });
    }

    const cmdline = (await readCmdline(pid)) || this.#display();
    const instance = toInstance({ id: `${this.name}/pid:${pid}`, pid, startTime: procStat.startTime, cmdline, managed: true });
    this.#started.add(`${instance.pid}:${instance.startTime}`);
    this.#instance = instance;
    this.#logger.info({ pid, pgid: run.pgid }, 'target is ready');
    return instance;
  }

  /** Stops the whole process group: SIGCONT if paused, `stopSignal`, SIGKILL after `stopTimeout`. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopRun().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  /** Stops it if anything of it still runs, then starts it again; returns the new instance. Concurrent calls share one restart. */
  restart(signal: AbortSignal): Promise<TargetInstance> {
    this.#restarting ??= (async () => {
      await this.stop();
      return this.start(signal);
    })().finally(() => {
      this.#restarting = undefined;
    });
    return this.#restarting;
  }

  async #stopRun(): Promise<void> {
    if (!this.#run) return;
    await stopGroup(this.#run, { target: this.name, stopSignal: this.#spec.stopSignal, stopTimeoutMs: this.#spec.stopTimeout, logger: this.#logger });
  }

  async #spawn(cwd: string): Promise<GroupRun> {
    const run = await spawnInGroup(this.#spec.command, { cwd, env: this.#spec.env, output: this.#output });
    if (run instanceof Error) throw this.#failure(`could not run ${this.#display()}: ${run.message}`, {}, run);
    run.child.on('error', (e) => this.#logger.warn({ err: e }, 'child process error'));
    void run.exited.then((info) => {
      if (!run.stopping) this.#logger.info({ pid: run.pgid, code: info.code, signal: info.signal }, `target ${describeExit(info.code, info.signal)}`);
    });
    this.#run = run;
    return run;
  }

  /** The process faults act on: the spawned one, or for a shell command the shell's only child. */
  async #targetPid(run: GroupRun): Promise<number> {
    return typeof this.#spec.command === 'string' ? mainPid(run.pgid) : run.pgid;
  }

  async #assertDirectory(cwd: string): Promise<void> {
    const info = await stat(cwd).catch(() => undefined);
    if (!info?.isDirectory()) throw this.#failure(`its working directory ${cwd} does not exist`);
  }

  #display(): string {
    const c = this.#spec.command;
    return typeof c === 'string' ? c : c.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  }

  #failure(reason: string, facts: { pid?: number; exitCode?: number | null; signal?: string | null; timedOut?: boolean } = {}, cause?: unknown): FiredrillError {
    return startFailedError({ target: this.name, reason, timedOut: false, ...facts, output: this.#output.tail() }, cause);
  }
}
