/**
 * Debian's Prometheus, Pushgateway and Alertmanager as real processes on loopback ports, each with
 * its own temp dir, for integration tests and benchmarks. Always `stop()` them (register it before
 * starting); a test runner that dies takes them along (SIGKILL on exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_COMMANDS = ['prometheus', 'prometheus-pushgateway', 'prometheus-alertmanager'];

export interface Component {
  /** base URL, e.g. http://127.0.0.1:39090 */
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** the last lines the process printed (for failure messages) */
  output(): string;
  /** SIGKILL now, without cleanup: for fail-safe tests */
  kill(): void;
  /** SIGTERM, SIGKILL after 3 s, then the temp dir goes. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

/** A free TCP port on 127.0.0.1 (bound, then released for the component to take). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PrometheusOptions {
  /** host:port targets scraped as job `job` (default `shop-api`) */
  targets: string[];
  job?: string;
  /** rule file contents (YAML), or none */
  rules?: string;
  /** an Alertmanager base URL to send alerts to */
  alertmanager?: string;
  /** scrape and rule evaluation interval (default 250 ms) */
  intervalMs?: number;
}

/** Starts `prometheus` scraping `targets`, and waits until /-/ready answers. */
export async function startPrometheus(options: PrometheusOptions): Promise<Component> {
  const interval = `${options.intervalMs ?? 250}ms`;
  return startComponent('prometheus', (dir, port) => {
    const config = [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      ...(options.rules ? ['rule_files: [rules.yml]'] : []),
      ...(options.alertmanager
        ? ['alerting:', '  alertmanagers:', `    - static_configs: [{ targets: ["${new URL(options.alertmanager).host}"] }]`]
        : []),
      'scrape_configs:',
      `  - job_name: ${options.job ?? 'shop-api'}`,
      `    static_configs: [{ targets: ${JSON.stringify(options.targets)} }]`,
    ].join('\n');
    writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
    if (options.rules) writeFileSync(join(dir, 'rules.yml'), options.rules);
    return [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      // the notifier batches; a test wants its alert at Alertmanager now
      '--rules.alert.resend-delay=1s',
    ];
  });
}

/** Starts `prometheus-pushgateway`. */
export function startPushgateway(): Promise<Component> {
  return startComponent('prometheus-pushgateway', (_dir, port) => [`--web.listen-address=127.0.0.1:${port}`]);
}

/** Starts `prometheus-alertmanager` with a receiver that sends nothing and clustering off. */
export function startAlertmanager(): Promise<Component> {
  return startComponent('prometheus-alertmanager', (dir, port) => {
    writeFileSync(join(dir, 'alertmanager.yml'), 'route: { receiver: "null" }\nreceivers: [{ name: "null" }]\n');
    return [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // clustering would listen on 0.0.0.0:9094; a test binds loopback only
      '--cluster.listen-address=',
    ];
  });
}

async function startComponent(command: string, argsFor: (dir: string, port: number) => string[]): Promise<Component> {
  let lastError: unknown;
  // a port picked free can be taken before the component binds it: try another
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), `firedrill-${command}-`));
    const port = await freePort();
    const component = launch(command, argsFor(dir, port), dir, port);
    try {
      await waitReady(component);
      return component;
    } catch (e) {
      lastError = e;
      await component.stop();
    }
  }
  throw lastError;
}

function launch(command: string, args: string[], dir: string, port: number): Component {
  const child: ChildProcess = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    dir,
    output: () => output,
    kill: () => {
      child.kill('SIGKILL');
    },
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const graceOver = new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
          });
          if (await Promise.race([exited.then(() => false), graceOver])) child.kill('SIGKILL');
          clearTimeout(timer);
          await exited;
        }
        process.removeListener('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

async function waitReady(component: Component): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${component.url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${component.url} not ready within ${READY_TIMEOUT_MS}ms; output: ${component.output()}`);
}

/** Polls `probe` every `everyMs` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, { timeoutMs = 20_000, everyMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** An instant query's result as `{labels, value}` pairs (throws on any failure). */
export async function promQuery(url: string, query: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(2000) });
  const body = (await res.json()) as { status: string; data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
  return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
