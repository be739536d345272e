/**
 * The Docker Engine client. dockerode honours DOCKER_HOST (unix://, tcp://, ssh://, with
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH); it is imported lazily because loading it costs about
 * 200 ms, which commands that never touch a container (`validate`, `--help`) must not pay.
 */
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { FiredrillError, type ErrorCode } from '../errors.js';
import { engineCall } from './engine-call.js';

export interface Engine {
  docker: Dockerode;
  /** where the engine is, for messages: `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2375` */
  address: string;
  /** the DOCKER_HOST the client was made for; undefined means the default socket */
  dockerHost: string | undefined;
}

const clients = new Map<string, Promise<Engine>>();

/** Where the engine is when DOCKER_HOST is unset. */
export const DEFAULT_ENGINE_ADDRESS = 'unix:///var/run/docker.sock';

/** `DOCKER_HOST`, or the default socket when it is unset. */
export function engineAddress(dockerHost: string | undefined = process.env.DOCKER_HOST): string {
  return dockerHost && dockerHost.trim() !== '' ? dockerHost : DEFAULT_ENGINE_ADDRESS;
}

/**
 * The DOCKER_HOST to use for an address recorded elsewhere (a ledger entry): the recorded one, or
 * the default socket when none was recorded — even if this process has a DOCKER_HOST of its own.
 */
export function recordedEngine(dockerHost: string | undefined): string | undefined {
  if (dockerHost && dockerHost.trim() !== '') return dockerHost;
  return process.env.DOCKER_HOST ? DEFAULT_ENGINE_ADDRESS : undefined;
}

/** The client for `dockerHost` (default: this process's DOCKER_HOST); one per address per process. */
export function dockerEngine(dockerHost: string | undefined = process.env.DOCKER_HOST): Promise<Engine> {
  const host = dockerHost && dockerHost.trim() !== '' ? dockerHost : undefined;
  const key = host ?? '';
  let engine = clients.get(key);
  if (!engine) {
    engine = createEngine(host);
    clients.set(key, engine);
    // a failed creation (bad DOCKER_HOST) must not be cached forever
    engine.catch(() => clients.delete(key));
  }
  return engine;
}

async function createEngine(dockerHost: string | undefined): Promise<Engine> {
  const { default: Docker } = await import('dockerode');
  const address = engineAddress(dockerHost);
  try {
    const docker = dockerHost === process.env.DOCKER_HOST ? new Docker() : new Docker(optionsFor(address));
    return { docker, address, dockerHost };
  } catch (e) {
    throw new FiredrillError('FD_USAGE', `DOCKER_HOST ${JSON.stringify(address)} is not an engine address: ${e instanceof Error ? e.message : String(e)}; write it like unix:///var/run/docker.sock or tcp://127.0.0.1:2375`, { dockerHost: address });
  }
}

/** Client options for an address other than this process's DOCKER_HOST (a ledger written elsewhere). */
function optionsFor(address: string): Dockerode.DockerOptions {
  if (address.startsWith('unix://')) return { socketPath: address.slice('unix://'.length) };
  const url = new URL(address.includes('//') ? address : `tcp://${address}`);
  const protocol = url.protocol === 'ssh:' ? 'ssh' : url.protocol === 'https:' || url.port === '2376' ? 'https' : 'http';
  return { host: url.hostname, port: url.port || (protocol === 'https' ? '2376' : '2375'), protocol, ...(url.username ? { username: url.username } : {}) };
}

/**
 * The engine, checked to answer. An engine that does not answer is refused with `code` and a
 * message that says where firedrill looked and what to do.
 */
export async function connectEngine(signal: AbortSignal, code: ErrorCode, dockerHost?: string): Promise<Engine> {
  return checkEngine(await dockerEngine(dockerHost), signal, code);
}

/** `engine`, checked to answer a ping (refused with `code` when it does not). */
export async function checkEngine(engine: Engine, signal: AbortSignal, code: ErrorCode): Promise<Engine> {
  // the types offer no abort signal for ping; engineCall's own timeout and race bound it
  await engineCall(engine, 'answer a ping', code, signal, () => sharedPing(engine));
  return engine;
}

/**
 * An engine client whose every HTTP connection is a stream `open` returns: for a remote host,
 * `docker system dial-stdio` run over the run's verified SSH connection (what `docker -H ssh://`
 * does), instead of dockerode's own ssh:// transport, which opens a second connection per request
 * with no host key check, no ProxyJump and only the agent's keys.
 */
export async function engineOverStream(address: string, open: () => Promise<Duplex>): Promise<Engine> {
  const [{ default: Docker }, { Agent }] = await Promise.all([import('dockerode'), import('node:http')]);
  const agent = new Agent({ keepAlive: false });
  // an http.Agent hands every request the socket createConnection gives it; a stream is enough
  (agent as unknown as { createConnection: (o: unknown, cb: (e: Error | null, s?: Duplex) => void) => undefined }).createConnection = (_o, cb) => {
    open().then(
      (stream) => {
        const socketish = stream as Duplex & Partial<Record<'setTimeout' | 'setNoDelay' | 'setKeepAlive' | 'ref' | 'unref', () => Duplex>>;
        for (const m of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref'] as const) socketish[m] ??= () => stream;
        cb(null, stream);
      },
      (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
    );
    return undefined;
  };
  const docker = new Docker({ protocol: 'http', host: 'docker', port: 2375, agent } as Dockerode.DockerOptions);
  return { docker, address, dockerHost: undefined };
}

/** A ping that answered this recently vouches for the engine (20 reverts at once need one ping, not 20). */
const PING_FRESH_MS = 1000;
const pings = new WeakMap<Engine, { at: number; answer: Promise<unknown> }>();

function sharedPing(engine: Engine): Promise<unknown> {
  const last = pings.get(engine);
  if (last && performance.now() - last.at < PING_FRESH_MS) return last.answer;
  const answer = engine.docker.ping();
  pings.set(engine, { at: performance.now(), answer });
  // a failed ping is never shared with a later caller
  answer.catch(() => {
    if (pings.get(engine)?.answer === answer) pings.delete(engine);
  });
  return answer;
}
