/** A tiny HTTP server in its own process, for drills that target a process the test started. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './cli.js';

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.setHeader('x-auth-seen', req.headers.authorization ? 'yes' : 'no');
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => console.log(String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export interface HttpTarget {
  pid: number;
  port: number;
  child: ChildProcess;
  /** the process state letter from /proc (R, S, T, ...) */
  state(): string;
  stop(): Promise<void>;
}

export async function startHttpTarget(): Promise<HttpTarget> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await Promise.race([once(child.stdout!, 'data'), new Promise((_, r) => setTimeout(() => r(new Error('http target did not start')), 10_000))])) as [Buffer];
  const port = Number(String(chunk).trim());
  const pid = child.pid!;
  return {
    pid,
    port,
    child,
    state: () => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
      } catch {
        return 'gone';
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(pid, 'SIGCONT');
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
      await once(child, 'exit').catch(() => undefined);
    },
  };
}

/**
 * A whole test file's fixture: one HTTP target started before its tests, a state dir and an output
 * dir; all stopped and removed after the file's tests, also when one failed.
 */
export function useHttpTargetSuite(prefix: string): { readonly target: HttpTarget; state: { dir: string }; out: { dir: string } } {
  const state = tempDir(`${prefix}-state-`);
  const out = tempDir(`${prefix}-`);
  let target: HttpTarget | undefined;
  beforeAll(async () => {
    target = await startHttpTarget();
  });
  afterAll(async () => {
    await target?.stop();
    state.cleanup();
    out.cleanup();
  });
  return {
    get target(): HttpTarget {
      if (!target) throw new Error('the HTTP target is started in beforeAll');
      return target;
    },
    state,
    out,
  };
}
