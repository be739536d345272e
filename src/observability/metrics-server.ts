/**
 * Serves a registry's metrics at `/metrics` on 127.0.0.1 while a drill runs (`--metrics-port`), so
 * the team's Prometheus can watch the runner itself: phase, faults in place, kill-switch trips.
 * Loopback only: a runner that injects faults has no business answering the network.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { errorMessage, FiredrillError } from '../errors.js';

export interface MetricsServer {
  /** `http://127.0.0.1:<port>/metrics` (the port the system picked when asked for 0) */
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Listens on 127.0.0.1:`port` (0 picks a free one); FD_USAGE when the port cannot be had. */
export async function serveMetrics(registry: Registry, port: number): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('firedrill serves only GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${errorMessage(e)}\n`),
    );
  });
  // a scraper that keeps its connection open must not hold the runner's exit
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new FiredrillError('FD_USAGE', `cannot serve metrics on ${HOST}:${port}: ${errorMessage(e)}; pick another --metrics-port (nothing was injected)`, { port })),
    );
    server.listen(port, HOST, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
