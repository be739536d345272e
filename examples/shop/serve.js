// The HTTP server both shop processes use: a route table, metrics, the ready line, graceful shutdown.
import http from 'node:http';

const HOST = '127.0.0.1';
/** In-flight requests get this long after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 2000;

/** A JSON reply. */
export function json(status, value, headers = {}) {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/**
 * Serves `routes` (path → async handler returning `{ status, headers, body }`) plus `/metrics`
 * on 127.0.0.1:`port`, and prints `listening on http://127.0.0.1:<port>` once it accepts connections.
 */
export function serve({ port, routes, metrics }) {
  const table = {
    ...routes,
    '/metrics': async () => ({
      status: 200,
      headers: { 'content-type': metrics.registry.contentType },
      body: await metrics.registry.metrics(),
    }),
  };

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://shop').pathname;
    const handler = Object.hasOwn(table, path) ? table[path] : undefined;
    // unknown paths share one label so scanners cannot blow up the metric's cardinality
    const route = handler ? path : 'other';
    const reply = await answer(req, handler);
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
    metrics.requests.inc({ route, status: String(reply.status) });
    metrics.duration.observe({ route }, (performance.now() - started) / 1000);
  });

  server.listen(port, HOST, () => {
    console.log(`listening on http://${HOST}:${server.address().port}`);
  });
  server.on('error', (error) => {
    console.error(`cannot listen on ${HOST}:${port}: ${error.message}`);
    process.exitCode = 1;
  });

  const shutdown = (signal) => {
    console.log(`${signal}: shutting down`);
    // stop accepting; the process exits by itself once the last connection is gone
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}

async function answer(req, handler) {
  if (!handler) return json(404, { error: 'not found' });
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET' }, { allow: 'GET, HEAD' });
  try {
    return await handler(req);
  } catch (error) {
    console.error(`${req.url}: ${error instanceof Error ? error.message : String(error)}`);
    return json(500, { error: 'internal error' });
  }
}
