/**
 * A `match:` selector never picks a firedrill process of any run: while one drill runs (a pause, a
 * stress worker, a fault proxy, its dead-man switch), a second drill whose selector matches all of
 * them by command line is planned, and none of the first run's processes is even a candidate.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { startHttpTarget } from '../support/http-target.js';

const state = tempDir('firedrill-own-state-');
const out = tempDir('firedrill-own-out-');
afterAll(() => {
  state.cleanup();
  out.cleanup();
});

const GREEDY = `apiVersion: firedrill/v1
name: greedy-match
environments: [test]
targets:
  any:
    process: { match: "/stress-ng|proxy-host-main|stress-worker|watchdog-main|firedrill (run|watchdog)|cli/main\\\\.js run/" }
blastRadius: { target: any, maxTargets: 1, maxDuration: 1m }
faults:
  - { type: process-pause, target: any, duration: 1s }
probes:
  p: { tcp: { port: 1 }, interval: 1s }
phases: { preflight: 1s, baseline: 1s, recovery: 1s }
`;

describe('match: selectors and firedrill\'s own processes', () => {
  it('never offers another run\'s runner, dead-man switch, proxy host or stress worker as a target', async () => {
    const target = await startHttpTarget();
    const env = { TARGET_PID: String(target.pid), TARGET_PORT: String(target.port), FIREDRILL_STATE_DIR: state.dir };
    const child = startCli(['run', 'test/fixtures/drills/self-chaos.yaml', '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env, timeoutMs: 60_000 });
    try {
      await watchStderr(child).until(/"msg":"injected /, { count: 3 });
      const [id] = readdirSync(join(state.dir, 'runs'));
      const dir = join(state.dir, 'runs', id!);
      const watchdog = (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { watchdog: { pid: number } }).watchdog.pid;
      const helpers = readFileSync(join(dir, 'ledger.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { recipe?: { kind: string; pid?: number } })
        .filter((l) => l.recipe?.kind === 'kill-process')
        .map((l) => l.recipe!.pid!);
      expect(helpers.length).toBeGreaterThanOrEqual(2);
      const file = join(out.dir, 'greedy.yaml');
      writeFileSync(file, GREEDY);
      const plan = await runCli(['plan', file, '--env', 'test'], { env });
      for (const pid of [child.pid!, watchdog, ...new Set(helpers)]) {
        expect(plan.stdout, `pid ${pid} was offered`).not.toMatch(new RegExp(`pid ${pid}\\b`));
      }
    } finally {
      child.kill('SIGINT');
      await child.catch(() => undefined);
      await target.stop();
    }
  });
});
