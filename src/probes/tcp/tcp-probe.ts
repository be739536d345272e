/** The TCP probe: can a connection be opened? It is closed at once; nothing is sent. */
import net from 'node:net';
import type { ProbeSpec } from '../../drill/schema.js';
import type { ProbeCheckOptions, ProbeResult, Prober } from '../contract.js';
import { shortReason, timeoutReason } from '../reason.js';

export type TcpProbeSpec = NonNullable<ProbeSpec['tcp']>;

/** Opens and closes one connection; resolves within about `timeoutMs` and never rejects. */
async function check(spec: TcpProbeSpec, { timeoutMs, signal }: ProbeCheckOptions): Promise<ProbeResult> {
  if (signal.aborted) return { ok: false, latencyMs: 0, error: 'aborted' };
  return new Promise<ProbeResult>((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (outcome: Omit<ProbeResult, 'latencyMs'>): void => {
      if (settled) return;
      settled = true;
      const latencyMs = performance.now() - started;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ...outcome, latencyMs });
    };
    let socket: net.Socket;
    try {
      socket = net.connect({ host: spec.host, port: spec.port });
    } catch (error) {
      resolve({ ok: false, latencyMs: 0, error: shortReason(error) });
      return;
    }
    socket.once('connect', () => finish({ ok: true }));
    socket.on('error', (error) => finish({ ok: false, error: shortReason(error) }));
    const timer = setTimeout(() => finish({ ok: false, error: timeoutReason(timeoutMs) }), timeoutMs);
    const onAbort = (): void => finish({ ok: false, error: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const tcpProber: Prober<TcpProbeSpec> = {
  kind: 'tcp',
  describe: (p) => `TCP connect to ${p.host}:${p.port}`,
  check,
};
