/**
 * Hosts one FaultProxy in its own process, so the proxy's hot path does not share a heap and an
 * event loop with the runner's probes and kill switch. Driven over the IPC channel by
 * targets/proxy/managed-proxy.ts; when the runner goes away (IPC disconnect), the proxy stops and
 * this process exits, so no proxy fault outlives its drill.
 *
 * Usage (forked): proxy-host-main.js '<json FaultProxyOptions without clock/signal>'
 */
import { prepareSystemClock } from './clock.js';
import { FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
import type { ProxyFault } from './schema.js';

export type HostRequest = { id: number; op: 'set'; faults: ProxyFault[] } | { id: number; op: 'stats' } | { id: number; op: 'stop' };
export type HostReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };
export type HostEvent = { event: 'ready'; listen: { host: string; port: number } } | { event: 'failed'; error: string };

const send = (message: HostReply | HostEvent) => process.send?.(message);

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FaultProxyOptions;
  const proxy = new FaultProxy();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await proxy.stop();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, () => void stop());
  try {
    const listen = await proxy.start(options);
    prepareSystemClock();
    send({ event: 'ready', listen });
  } catch (e) {
    send({ event: 'failed', error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
  process.on('message', (raw: HostRequest) => {
    try {
      if (raw.op === 'set') {
        // validated by the runner's drill schema; the IPC peer is our own parent
        proxy.setFaults(raw.faults);
        send({ id: raw.id, ok: true });
      } else if (raw.op === 'stats') {
        send({ id: raw.id, ok: true, result: proxy.stats() });
      } else if (raw.op === 'stop') {
        send({ id: raw.id, ok: true });
        void stop();
      }
    } catch (e) {
      send({ id: raw.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

await main();
