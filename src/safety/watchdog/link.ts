/**
 * The runner's end of the dead-man switch: starts it, hands it every undo recipe and waits for
 * the acknowledgement before the fault is applied, and tells it when the run ended. When the
 * channel breaks (the watchdog died), the next hand-over fails and nothing more is injected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { errorMessage, FiredrillError } from '../../errors.js';
import type { NodeEntry } from '../../node-entry.js';
import type { WatchdogIsolation } from '../ledger.js';
import { OWN_ROLE_ENV } from '../../targets/process/own-processes.js';
import { watchdogLaunch } from './launch.js';
import type { FromWatchdog, ToWatchdog } from './messages.js';

const READY_TIMEOUT_MS = 5000;
// generous: a loaded machine may still be loading the switch's modules when the first recipe comes
const ACK_TIMEOUT_MS = 10_000;

export class WatchdogLink {
  readonly pid: number;
  readonly isolation: WatchdogIsolation;
  readonly #child: ChildProcess;
  #n = 0;
  readonly #acks = new Map<number, () => void>();
  #broken: string | undefined;

  private constructor(child: ChildProcess, pid: number, isolation: WatchdogIsolation) {
    this.#child = child;
    this.pid = pid;
    this.isolation = isolation;
    child.on('message', (m: FromWatchdog) => {
      if (m.type === 'ack') {
        this.#acks.get(m.n)?.();
        this.#acks.delete(m.n);
      }
    });
    const broke = (why: string) => {
      this.#broken ??= why;
    };
    child.on('disconnect', () => broke('the dead-man switch closed its channel'));
    child.on('exit', (code, signal) => broke(`the dead-man switch exited (${signal ?? code ?? '?'})`));
    child.on('error', (e) => broke(`the dead-man switch failed: ${errorMessage(e)}`));
    // the channel must not keep the runner alive: the watchdog outlives it on purpose
    child.unref();
    child.channel?.unref();
  }

  /** Starts the watchdog (in its own systemd scope when `systemd`); falls back to a plain child when the scope cannot be made. */
  static async start(o: { entry: NodeEntry; args: string[]; runId: string; systemd: boolean }): Promise<{ link: WatchdogLink; fallback?: string }> {
    if (o.systemd) {
      try {
        return { link: await WatchdogLink.#spawn({ ...o, systemd: true }) };
      } catch (e) {
        return { link: await WatchdogLink.#spawn({ ...o, systemd: false }), fallback: `could not start the dead-man switch in a systemd scope (${errorMessage(e)}); it runs in the runner's cgroup` };
      }
    }
    return { link: await WatchdogLink.#spawn({ ...o, systemd: false }) };
  }

  static async #spawn(o: { entry: NodeEntry; args: string[]; runId: string; systemd: boolean }): Promise<WatchdogLink> {
    const launch = watchdogLaunch({ entry: o.entry, args: o.args, runId: o.runId, systemd: o.systemd, uid: process.getuid?.() ?? 0 });
    // its own session: a terminal's Ctrl-C or a signal to the runner's group does not reach it
    const child = spawn(launch.file, launch.args, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: { ...process.env, [OWN_ROLE_ENV]: 'watchdog' } });
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`it did not report ready within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.on('message', (m: FromWatchdog) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.pid);
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`it exited at once (${signal ?? code ?? '?'})`));
      });
    });
    return new WatchdogLink(child, pid, launch.isolation);
  }

  /** Sends without waiting (best effort: the ledger has it too). */
  tell(message: ToWatchdog): void {
    if (this.#broken || !this.#child.connected) return;
    try {
      this.#child.send(message, () => undefined);
    } catch {
      // a broken channel shows up at the next hand-over
    }
  }

  /** Hands over an undo recipe and resolves once the watchdog holds it; throws when it cannot confirm. */
  async hand(message: Omit<Extract<ToWatchdog, { type: 'intent' }>, 'n'>): Promise<void> {
    const n = ++this.#n;
    const refuse = (why: string) => new FiredrillError('FD_INJECT_FAILED', `the dead-man switch did not take the undo recipe (${why}); nothing is applied without it`);
    if (this.#broken || !this.#child.connected) throw refuse(this.#broken ?? 'its channel is closed');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#acks.delete(n);
        reject(refuse(`no acknowledgement within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.#acks.set(n, () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.#child.send({ ...message, n } satisfies ToWatchdog, (e) => {
          if (e) {
            clearTimeout(timer);
            this.#acks.delete(n);
            reject(refuse(errorMessage(e)));
          }
        });
      } catch (e) {
        clearTimeout(timer);
        this.#acks.delete(n);
        reject(refuse(errorMessage(e)));
      }
    });
  }

  /** The run is over: the watchdog may go (it still reverts what is open if `cleared` is false). */
  end(cleared: boolean): void {
    this.tell({ type: 'end', cleared });
    if (this.#child.connected) this.#child.disconnect();
  }
}
