// The shop's public api. It depends on the backend and shows how a service can degrade gracefully.
import { Counter } from 'prom-client';
import { getFromBackend } from './backend-client.js';
import { msFromEnv, portFromEnv, urlFromEnv } from './env.js';
import { createMetrics } from './metrics.js';
import { json, serve } from './serve.js';

const port = portFromEnv('API_PORT');
const backendUrl = urlFromEnv('BACKEND_URL');
const backendTimeoutMs = msFromEnv('BACKEND_TIMEOUT_MS', 300);

const metrics = createMetrics();
const backendErrors = new Counter({
  name: 'shop_backend_errors_total',
  help: 'Failed calls to the backend, by reason (timeout, connection, status)',
  labelNames: ['reason'],
  registers: [metrics.registry],
});

/** What the most recent backend call said; /health reports it without calling the backend. */
let backendState = 'ok';
/** The last good /products body, served (marked stale) while the backend cannot answer. */
let lastProducts;

async function callBackend(path) {
  const result = await getFromBackend(backendUrl, path, backendTimeoutMs);
  backendState = result.ok ? 'ok' : 'degraded';
  if (!result.ok) backendErrors.inc({ reason: result.reason });
  return result;
}

function passThrough(result, headers = {}) {
  return { status: result.status, headers: { 'content-type': 'application/json', ...headers }, body: result.body };
}

serve({
  port,
  metrics,
  routes: {
    // liveness of the api itself: it must stay up and fast even when the backend is not
    '/health': async () => json(200, { status: 'ok', backend: backendState }),
    '/products': async () => {
      const result = await callBackend('/products');
      if (result.ok) {
        lastProducts = result.body;
        return passThrough(result, { 'x-cache': 'fresh' });
      }
      if (lastProducts !== undefined) {
        return { status: 200, headers: { 'content-type': 'application/json', 'x-cache': 'stale' }, body: lastProducts };
      }
      return json(503, { error: `backend ${result.reason}`, detail: result.message });
    },
    // an order cannot be served from a cache: fail fast and say why
    '/checkout': async () => {
      const result = await callBackend('/checkout');
      if (result.ok) return passThrough(result);
      return json(503, { error: `backend ${result.reason}`, detail: result.message });
    },
  },
});
