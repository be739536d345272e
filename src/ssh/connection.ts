/**
 * One SSH connection to one host, multiplexing every command (ssh2 channels) over a single TCP
 * connection. The host key is checked against known_hosts before anything is sent; a jump host
 * (ProxyJump) is itself an `SshConnection` whose forwarded channel carries this one.
 */
import { StringDecoder } from 'node:string_decoder';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { FiredrillError, errorMessage } from '../errors.js';
import { authMethods, defaultUser, type SshCredentials } from './credentials.js';
import { formatHostAddress, type HostAddress } from './host-address.js';
import { ControlShell } from './control-shell.js';
import { appendKnownHost, checkHostKey, knownKeyTypes, readKnownHosts, type HostKeyCheck } from './known-hosts.js';

export interface SshTarget {
  /** inventory name (`web-1`), used in every message */
  name: string;
  address: HostAddress;
  /** reach this host through that one (ProxyJump) */
  jump?: SshTarget;
}

export interface ConnectOptions {
  credentials: SshCredentials;
  signal?: AbortSignal;
  /** TCP connect + handshake + auth (default 5 s) */
  connectTimeoutMs?: number;
  /** keepalive probe interval; the connection counts as lost after 3 unanswered (default 1 s) */
  keepaliveMs?: number;
  /** the jump host's open connection, when the target has one */
  via?: SshConnection;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the remote command died of a signal or the channel closed first */
  exitCode: number | null;
  /** the signal the remote command died of (`SIGKILL`), when the host said so */
  exitSignal?: string;
}

export interface ExecOptions {
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How the host sees this connection (from its SSH_CONNECTION): what network faults must exempt. */
export interface SeenAs {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

/** The key types ssh2 negotiates for a known_hosts key type (RSA keys sign with SHA-2 first). */
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export class SshConnection {
  readonly target: SshTarget;
  readonly fingerprint: string;
  seenAs?: SeenAs;
  readonly #client: Client;
  #closed = false;
  readonly #onClose = new Set<() => void>();
  readonly #control: ControlShell;

  private constructor(target: SshTarget, client: Client, fingerprint: string) {
    this.target = target;
    this.#client = client;
    this.fingerprint = fingerprint;
    this.#control = new ControlShell(target.name, (script) => this.stream(script));
    client.on('close', () => {
      this.#closed = true;
      this.#control.close();
      for (const cb of this.#onClose) cb();
    });
    client.on('error', () => {
      // a lost connection also emits 'close'; exec calls in flight fail on their own
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** `web-1 (root@198.18.0.11)` */
  get label(): string {
    return `${this.target.name} (${formatHostAddress(this.target.address)})`;
  }

  onClose(cb: () => void): () => void {
    this.#onClose.add(cb);
    return () => this.#onClose.delete(cb);
  }

  /** Connects, verifies the host key and authenticates; refuses with FD_HOST_KEY_REFUSED / FD_HOST_UNREACHABLE. */
  static async open(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
    const { host, port } = target.address;
    const username = target.address.user ?? defaultUser();
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const known = readKnownHosts(options.credentials.knownHostsFiles);
    const types = knownKeyTypes(known, host, port);
    let check: HostKeyCheck | undefined;
    const sock = await openSocket(target, options.via, connectTimeoutMs, options.signal);
    // loaded on first connection: commands that only read a drill never need ssh2
    const ssh2 = await import('ssh2');
    const client = new ssh2.Client();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(unreachable(target, `no SSH handshake within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      const abort = (): void => reject(options.signal?.reason ?? new Error('aborted'));
      options.signal?.addEventListener('abort', abort, { once: true });
      const settle = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
      };
      client.once('ready', () => {
        settle();
        resolve();
      });
      client.once('error', (e: Error & { level?: string }) => {
        settle();
        if (check && !check.ok) reject(hostKeyRefused(target, check));
        else if (e.level === 'client-authentication') reject(new FiredrillError('FD_HOST_UNREACHABLE', `${target.name}: SSH login as ${username} was refused (no accepted key from the agent or the key files)`, { host: target.name }));
        else reject(unreachable(target, errorMessage(e)));
      });
    });
    try {
      client.connect({
        sock,
        username,
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: options.keepaliveMs ?? 1000,
        keepaliveCountMax: 3,
        authHandler: authMethods(options.credentials, username),
        ...(types.length ? { algorithms: { serverHostKey: types.flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? [t]) as never } } : {}),
        hostVerifier: (key: Buffer): boolean => {
          check = checkHostKey(known, host, port, key);
          if (check.ok) return true;
          if (check.reason === 'unknown' && options.credentials.acceptNewHostKeysInto) {
            // only with the explicit flag, and only a host never seen before: a changed key is always refused
            appendKnownHost(options.credentials.acceptNewHostKeysInto, host, port, key);
            check = { ok: true, fingerprint: check.fingerprint };
            return true;
          }
          return false;
        },
      });
      await ready;
    } catch (e) {
      client.end();
      sock.destroy();
      throw e;
    }
    const conn = new SshConnection(target, client, check?.ok ? check.fingerprint : '');
    conn.seenAs = await conn.#whoAmI(connectTimeoutMs);
    return conn;
  }

  async #whoAmI(timeoutMs: number): Promise<SeenAs | undefined> {
    const r = await this.exec('echo "$SSH_CONNECTION"', { timeoutMs });
    const [clientAddress, clientPort, serverAddress, serverPort] = r.stdout.trim().split(/\s+/);
    if (!clientAddress || !serverAddress) return undefined;
    return { clientAddress, clientPort: Number(clientPort), serverAddress, serverPort: Number(serverPort) };
  }

  /** Runs a POSIX sh script on the host (`sh -c`), bounded by `timeoutMs`. */
  async exec(script: string, options: ExecOptions): Promise<ExecResult> {
    const { channel, seen } = await this.#channel(`exec sh -c ${shellQuote(script)}`);
    return new Promise<ExecResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      // one decoder per stream: a character split between two packets is joined, not replaced by U+FFFD
      const out = new StringDecoder('utf8');
      const err = new StringDecoder('utf8');
      const timer = setTimeout(() => finish(new FiredrillError('FD_HOST_UNREACHABLE', `${this.target.name}: a command did not finish within ${options.timeoutMs} ms`, { host: this.target.name })), options.timeoutMs);
      const abort = (): void => finish(options.signal?.reason ?? new Error('aborted'));
      options.signal?.addEventListener('abort', abort, { once: true });
      const offClose = this.onClose(() => finish(unreachable(this.target, 'the connection was lost')));
      let done = false;
      const finish = (error?: unknown, code?: number | null, exitSignal?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        offClose();
        if (error) {
          channel.close();
          reject(error);
        } else resolve({ stdout: stdout + out.end(), stderr: stderr + err.end(), exitCode: code ?? null, ...(exitSignal ? { exitSignal } : {}) });
      };
      channel.on('data', (d: Buffer) => {
        stdout += out.write(d);
      });
      channel.stderr.on('data', (d: Buffer) => {
        stderr += err.write(d);
      });
      // the exit status and the close were recorded from the moment the channel opened (seen): both
      // may arrive in the same read as the open confirmation, before this code runs
      const closed = (): void => {
        setImmediate(() => {
          finish(undefined, seen.code ?? null, seen.signal);
        });
      };
      if (seen.closed) closed();
      else channel.once('close', closed);
      channel.end(options.stdin ?? '');
    });
  }

  /**
   * Runs a short POSIX sh script in the host's control shell (control-shell.ts): one round trip
   * on a warm channel, no new process start on the host but a subshell; scripts run one at a time
   * in the order given. Stderr comes merged into stdout. For signals and other quick steps only:
   * anything that may run long takes its own channel (`exec`).
   */
  quick(script: string, options: ExecOptions): Promise<ExecResult> {
    return this.#control.run(script, { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** `kill -SIG pid` in the control shell itself while pid still has `startTime` (control-shell.ts `signal`). */
  quickSignal(sig: string, pid: number, startTime: string, options: ExecOptions): Promise<ExecResult> {
    return this.#control.signal(sig, pid, startTime, { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Empties the file at `path` on the host, in the control shell itself (control-shell.ts `truncate`). */
  quickTruncate(path: string, options: ExecOptions): Promise<ExecResult> {
    return this.#control.truncate(path, { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** A long-lived channel running `script`, for streams like the lease renewals. */
  async stream(script: string): Promise<ClientChannel> {
    return (await this.#channel(`exec sh -c ${shellQuote(script)}`)).channel;
  }

  /** A TCP channel from the host to host:port (ProxyJump), bounded by `timeoutMs`. */
  async forward(host: string, port: number, timeoutMs: number): Promise<Duplex> {
    if (this.#closed) throw unreachable(this.target, 'the connection is closed');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(unreachable(this.target, `the jump host did not reach ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      this.#client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        clearTimeout(timer);
        if (err) reject(unreachable(this.target, `cannot forward to ${host}:${port}: ${err.message}`));
        else resolve(channel);
      });
    });
  }

  /**
   * Opens an exec channel. Its exit status and close are recorded synchronously in the callback:
   * ssh2 emits them as plain events, and under load they arrive in the same read as the open
   * confirmation, before a listener attached after an `await` would exist (the status was lost).
   */
  #channel(command: string): Promise<{ channel: ClientChannel; seen: { code?: number | null; signal?: string; closed: boolean } }> {
    if (this.#closed) return Promise.reject(unreachable(this.target, 'the connection is closed'));
    return new Promise((resolve, reject) => {
      this.#client.exec(command, (err, channel) => {
        if (err) {
          reject(unreachable(this.target, err.message));
          return;
        }
        const seen: { code?: number | null; signal?: string; closed: boolean } = { closed: false };
        channel.once('exit', (code: number | null, signal?: string) => {
          seen.code = code;
          if (signal) seen.signal = signal;
        });
        channel.once('close', () => {
          seen.closed = true;
        });
        resolve({ channel, seen });
      });
    });
  }

  /** Closes the connection (channels close with it). */
  close(): void {
    if (this.#closed) return;
    this.#client.end();
  }

  /** Drops the connection at once, like a dead network would (tests, the kill path). */
  destroy(): void {
    this.#client.destroy();
  }
}

async function openSocket(target: SshTarget, via: SshConnection | undefined, timeoutMs: number, signal?: AbortSignal): Promise<Socket | Duplex> {
  if (target.jump) {
    if (!via) throw new FiredrillError('FD_INTERNAL', `${target.name} is reached through ${target.jump.name}, but that connection was not given`);
    return via.forward(target.address.host, target.address.port, timeoutMs);
  }
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: target.address.host, port: target.address.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(unreachable(target, `no TCP connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const abort = (): void => {
      clearTimeout(timer);
      sock.destroy();
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    sock.once('connect', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      reject(unreachable(target, e.message));
    });
  });
}

function unreachable(target: SshTarget, why: string): FiredrillError {
  return new FiredrillError('FD_HOST_UNREACHABLE', `host ${target.name} (${formatHostAddress(target.address)}) is unreachable over SSH: ${why}`, {
    host: target.name,
  });
}

function hostKeyRefused(target: SshTarget, check: Extract<HostKeyCheck, { ok: false }>): FiredrillError {
  const where = `${target.name} (${formatHostAddress(target.address)})`;
  const message =
    check.reason === 'unknown'
      ? `host ${where} presented an unknown ${check.keyType} key ${check.fingerprint}; nothing was done. Check the fingerprint with the host's owner, then add it to known_hosts (or rerun with --accept-new-host-keys to trust keys of hosts never seen before)`
      : check.reason === 'revoked'
        ? `host ${where} presented a REVOKED ${check.keyType} key ${check.fingerprint}; refused`
        : `the host key of ${where} CHANGED: it presented ${check.keyType} ${check.fingerprint}, which does not match known_hosts line ${String(check.knownAt)}. This may be an attack (or a reinstalled host); nothing was done. --accept-new-host-keys never overrides a changed key`;
  return new FiredrillError('FD_HOST_KEY_REFUSED', message, { host: target.name, fingerprint: check.fingerprint, reason: check.reason });
}

/** Single-quotes a string for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
