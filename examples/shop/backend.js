// The shop's backend: the dependency the api calls. Drills pause, slow or kill this process.
import { setTimeout as sleep } from 'node:timers/promises';
import { portFromEnv } from './env.js';
import { createMetrics } from './metrics.js';
import { json, serve } from './serve.js';

const PRODUCTS = [
  { id: 1, name: 'kettle', priceCents: 2499 },
  { id: 2, name: 'teapot', priceCents: 1899 },
  { id: 3, name: 'mug', priceCents: 699 },
];
/** Stands in for a database query, so /products has a latency worth measuring. */
const PRODUCTS_WORK_MS = 5;

let orders = 0;

serve({
  port: portFromEnv('BACKEND_PORT'),
  metrics: createMetrics(),
  routes: {
    '/health': async () => json(200, { status: 'ok' }),
    '/products': async () => {
      await sleep(PRODUCTS_WORK_MS);
      return json(200, PRODUCTS);
    },
    '/checkout': async () => {
      orders += 1;
      return json(200, { order: orders });
    },
  },
});
