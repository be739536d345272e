// The shop's cart service: keeps the cart in redis. It is written to fail fast when redis stalls
// (every call has a timeout, health says why), which is what the container drills confirm or refute.
import { msFromEnv, portFromEnv } from '../shop/env.js';
import { createMetrics } from '../shop/metrics.js';
import { json, serve } from '../shop/serve.js';
import { redisCommand } from './redis-client.js';

const port = portFromEnv('CART_PORT');
const redis = { host: process.env.REDIS_HOST || '127.0.0.1', port: Number(process.env.REDIS_PORT || 6379) };
const redisTimeoutMs = msFromEnv('REDIS_TIMEOUT_MS', 300);

async function call(args) {
  return redisCommand(redis, args, redisTimeoutMs);
}

function failed(result) {
  return json(503, { error: `redis ${result.reason}`, detail: result.message });
}

serve({
  port,
  metrics: createMetrics(),
  routes: {
    // unlike the api's liveness check, this one asks the dependency: the cart is useless without it
    '/health': async () => {
      const result = await call(['PING']);
      return result.ok ? json(200, { status: 'ok', redis: 'ok' }) : json(503, { status: 'degraded', redis: result.reason });
    },
    '/cart': async () => {
      const result = await call(['GET', 'cart:items']);
      return result.ok ? json(200, { items: Number(result.value ?? 0) }) : failed(result);
    },
    '/cart/add': async () => {
      const result = await call(['INCR', 'cart:items']);
      return result.ok ? json(200, { items: result.value }) : failed(result);
    },
  },
});
