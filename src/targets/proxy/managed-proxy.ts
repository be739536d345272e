/**
 * A runner-managed fault proxy: a separate process hosting FaultProxy (see
 * engine/proxy-host-main.ts), started before the drill so baseline, fault and recovery
 * measure the same path. Faults are switched on and off over IPC without dropping connections.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { FiredrillError } from '../../errors.js';
import type { ProxyStats } from './engine/fault-proxy.js';
import type { HostEvent, HostReply, HostRequest } from './engine/proxy-host-main.js';
import type { ProxyFault } from './engine/schema.js';
import { nodeEntry } from '../../node-entry.js';
import { PROXY_HOST_NODE_FLAGS } from './engine/host-flags.js';
import type { TargetInstance } from '../contract.js';
import { readProcStat } from '../process/proc.js';
import { ownEnv } from '../process/own-processes.js';

export interface ProxySpec {
  listen: { host: string; port: number };
  upstream: { host: string; port: number };
}

type RequestBody = HostRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

const READY_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;

export class ManagedProxy {
  readonly name: string;
  readonly #spec: ProxySpec;
  readonly #seed: number;
  #child?: ChildProcess;
  #instance?: TargetInstance;
  #nextId = 1;
  readonly #pending = new Map<number, (reply: HostReply) => void>();
  /** faults in place now, by id (several drill faults may share one proxy) */
  readonly #active = new Map<string, ProxyFault>();
  #lastStats?: ProxyStats;

  constructor(name: string, spec: ProxySpec, seed: number) {
    this.name = name;
    this.#spec = spec;
    this.#seed = seed;
  }

  get instance(): TargetInstance | undefined {
    return this.#instance;
  }

  describe(): string {
    return `proxy ${this.#spec.listen.host}:${this.#spec.listen.port} → ${this.#spec.upstream.host}:${this.#spec.upstream.port}`;
  }

  async start(signal: AbortSignal): Promise<TargetInstance> {
    const entry = nodeEntry(new URL('./engine/', import.meta.url), 'proxy-host-main');
    const options = { name: this.name, listen: this.#spec.listen, upstream: this.#spec.upstream, seed: this.#seed };
    // its own process group: a terminal Ctrl-C reaches only the runner, which reverts first
    const child = fork(entry.script, [JSON.stringify(options)], { execArgv: [...entry.execArgv, ...PROXY_HOST_NODE_FLAGS], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true, env: ownEnv('proxy-host') });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + String(c)).slice(-2000);
    });
    child.on('message', (m: HostReply | HostEvent) => {
      if ('id' in m) {
        this.#pending.get(m.id)?.(m);
        this.#pending.delete(m.id);
      }
    });
    const ready = await new Promise<HostEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the proxy did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('message', (m: HostReply | HostEvent) => {
        if ('event' in m) {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(m);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the proxy process exited (${code ?? 'signal'}): ${stderr.trim()}`));
      });
    }).catch(async (e: unknown) => {
      await this.stop();
      throw new FiredrillError('FD_TARGET_START_FAILED', `proxy ${this.name} could not start: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (ready.event === 'failed') {
      await this.stop();
      throw new FiredrillError('FD_TARGET_START_FAILED', `proxy ${this.name} could not start: ${ready.error}`);
    }
    const stat = await readProcStat(child.pid as number);
    this.#instance = {
      id: `${this.name}/proxy`,
      pid: child.pid as number,
      startTime: stat?.startTime ?? '0',
      command: `${this.describe()} (listening on ${ready.listen.host}:${ready.listen.port})`,
      managed: true,
    };
    return this.#instance;
  }

  #request(req: RequestBody): Promise<HostReply> {
    const child = this.#child;
    if (!child?.connected) return Promise.resolve({ id: 0, ok: false, error: 'the proxy process is gone' });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ id, ok: false, error: `the proxy did not answer within ${REQUEST_TIMEOUT_MS} ms` });
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ ...req, id } as HostRequest);
    });
  }

  async #push(): Promise<void> {
    const reply = await this.#request({ op: 'set', faults: [...this.#active.values()] });
    if (!reply.ok) throw new FiredrillError('FD_INJECT_FAILED', `proxy ${this.name}: ${reply.error}`);
  }

  /** Switches one fault on (idempotent by id). */
  async addFault(fault: ProxyFault): Promise<void> {
    this.#active.set(fault.id ?? fault.toxic, fault);
    await this.#push();
  }

  /** Switches one fault off; a proxy that is gone has no faults left, which counts as done. */
  async removeFault(id: string): Promise<void> {
    this.#active.delete(id);
    if (!this.#child?.connected) return;
    const reply = await this.#request({ op: 'set', faults: [...this.#active.values()] });
    if (!reply.ok) throw new FiredrillError('FD_REVERT_FAILED', `proxy ${this.name}: ${reply.error}`);
  }

  async stats(): Promise<ProxyStats | undefined> {
    const reply = await this.#request({ op: 'stats' });
    if (reply.ok) this.#lastStats = reply.result as ProxyStats;
    return this.#lastStats;
  }

  /** Stops the proxy process (idempotent). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
