/**
 * Starts the example shop (examples/shop/) as two real processes on free loopback ports, for tests
 * that need a service to drill against. Always `stop()` it, also when the test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Shop {
  apiUrl: string;
  backendUrl: string;
  apiPid: number;
  backendPid: number;
  /** SIGCONTs (a test may have paused one) and terminates both; SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartShopOptions {
  /** the api's timeout for backend calls (BACKEND_TIMEOUT_MS); the shop's default is 300 */
  backendTimeoutMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const READY_LINE = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/;

interface Started {
  child: ChildProcess;
  pid: number;
  url: string;
}

/** Starts backend then api, each on a port the system picks, and resolves once both are ready. */
export async function startShop(options: StartShopOptions = {}): Promise<Shop> {
  const children: ChildProcess[] = [];
  // a test runner that dies must not leave the shop running
  const killOnExit = (): void => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const stopAll = async (): Promise<void> => {
    await Promise.all(children.map((c) => stopChild(c)));
    process.removeListener('exit', killOnExit);
  };
  try {
    // port 0 and reading the ready line avoids the race of probing for a free port and binding later
    const backend = await startNode('examples/shop/backend.js', { BACKEND_PORT: '0' }, children);
    const env: Record<string, string> = { API_PORT: '0', BACKEND_URL: backend.url };
    if (options.backendTimeoutMs !== undefined) env.BACKEND_TIMEOUT_MS = String(options.backendTimeoutMs);
    const api = await startNode('examples/shop/api.js', env, children);
    let stopping: Promise<void> | undefined;
    return {
      apiUrl: api.url,
      backendUrl: backend.url,
      apiPid: api.pid,
      backendPid: backend.pid,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Spawns `node <script>` and waits for its ready line; the child is in `children` before it can fail. */
async function startNode(script: string, env: Record<string, string>, children: ChildProcess[]): Promise<Started> {
  const child = spawn(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });

  return new Promise<Started>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${script} ${why}${stderr ? `; stderr: ${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS}ms`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(`did not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    // the listener stays attached so the pipe keeps draining after the ready line
    lines.on('line', (line) => {
      const url = READY_LINE.exec(line)?.[1];
      if (url === undefined || child.pid === undefined) return;
      clearTimeout(timer);
      resolve({ child, pid: child.pid, url });
    });
  });
}

/** SIGCONT, SIGTERM, and SIGKILL if it is still there after the grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
  });
  const timedOut = await Promise.race([exited.then(() => false), graceOver]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}
