/**
 * The built-in stress worker, used when stress-ng is not installed. It is JavaScript source, run
 * as `node -e <source> <config json>`, because the runner may itself run from TypeScript sources
 * and a `.ts` file cannot be spawned with plain node.
 *
 * It ends by itself, whatever happens to the runner: when its lifetime is over, and as soon as its parent
 * dies (its ppid changes). It asks the OOM killer to pick it before anything else.
 */
export interface BuiltinStressConfig {
  mode: 'cpu' | 'memory';
  /** cpu: busy threads; memory: ignored (one process holds all the memory) */
  workers: number;
  /** cpu: share of each period spent spinning, 0..1 */
  load: number;
  /** memory: bytes to allocate and keep resident */
  bytes: number;
  /** the worker exits this long after it started (measured on the monotonic clock) */
  lifetimeMs: number;
  /** the runner's pid; when process.ppid differs, the runner is gone */
  parentPid: number;
}

export const STRESS_WORKER_SOURCE = String.raw`
'use strict';
const { Worker } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const config = JSON.parse(process.argv[1]);
process.title = 'firedrill-stress-' + config.mode;
try { writeFileSync('/proc/self/oom_score_adj', '1000'); } catch {}

const endAt = performance.now() + config.lifetimeMs;
const over = () => process.ppid !== config.parentPid || performance.now() >= endAt;
if (over()) process.exit(0);
setInterval(() => { if (over()) process.exit(0); }, 200);

// runs in a worker thread: spin for load x period, then sleep the rest of it
function spin() {
  const { workerData } = require('node:worker_threads');
  const PERIOD_MS = 100;
  const busyMs = PERIOD_MS * workerData.load;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  // a thread has its own time origin, so it gets the time left rather than a timestamp
  const endAt = performance.now() + workerData.leftMs;
  while (performance.now() < endAt) {
    const start = performance.now();
    while (performance.now() - start < busyMs) { /* spin */ }
    if (busyMs < PERIOD_MS) Atomics.wait(pause, 0, 0, PERIOD_MS - busyMs);
  }
}

if (config.mode === 'cpu') {
  for (let i = 0; i < config.workers; i++) {
    new Worker('(' + spin.toString() + ')()', { eval: true, workerData: { load: config.load, leftMs: endAt - performance.now() } });
  }
} else {
  const PAGE = 4096;
  const CHUNK = 64 * 1024 * 1024;
  const chunks = [];
  for (let left = config.bytes; left > 0; left -= CHUNK) chunks.push(Buffer.allocUnsafeSlow(Math.min(CHUNK, left)));
  // write every page so the memory is resident, and again now and then so it stays resident
  let round = 0;
  const touch = () => {
    round = (round + 1) & 0xff;
    for (const chunk of chunks) for (let i = 0; i < chunk.length; i += PAGE) chunk[i] = round;
  };
  touch();
  setInterval(touch, 2000);
}
`;

/** The node arguments that run the built-in worker with `config`. */
export function builtinWorkerArgs(config: BuiltinStressConfig): string[] {
  return ['-e', STRESS_WORKER_SOURCE, JSON.stringify(config)];
}
