/** Ready when host:port accepts a TCP connection. */
import { connect } from 'node:net';
import { FiredrillError } from '../../../errors.js';
import type { ReadinessCheck } from './check.js';
import { polledCheck } from './poll.js';

export interface HostPort {
  host: string;
  port: number;
}

/** Reads `host:port`, `[v6]:port` or `:port` (loopback); undefined when it is neither. */
export function parseHostPort(text: string): HostPort | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** Connects once; undefined when the connection was accepted. */
function connectOnce({ host, port }: HostPort, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (problem: string | undefined) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(problem);
    };
    socket.once('connect', () => done(undefined));
    socket.once('error', (e) => done(e.message));
  });
}

/** Polls `host:port`; a malformed address is a drill problem, reported before anything starts. */
export function tcpCheck(address: string): ReadinessCheck {
  const target = parseHostPort(address);
  if (!target) {
    throw new FiredrillError('FD_DRILL_INVALID', `ready.tcp ${JSON.stringify(address)} is not host:port; write it like 127.0.0.1:8080 or [::1]:8080`, { address });
  }
  return polledCheck(`tcp ${address}`, (signal) => connectOnce(target, signal));
}
