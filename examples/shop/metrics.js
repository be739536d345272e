// Prometheus metrics shared by both shop processes.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A fresh registry with process metrics and the per-route request metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'shop_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'shop_http_request_duration_seconds',
    help: 'Time to serve an HTTP request, by route',
    labelNames: ['route'],
    registers: [registry],
  });
  return { registry, requests, duration };
}
