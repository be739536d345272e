/**
 * The game-day view, driven through a real terminal (tmux): the plan and the confirmation before
 * anything is injected, then live progress. Anything but y or yes injects nothing.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';

const skip = missing({ commands: ['tmux'] });
const out = tempDir('firedrill-tty-');
afterAll(() => out.cleanup());

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sessions: string[] = [];
let target: HttpTarget | undefined;

afterEach(async () => {
  for (const s of sessions.splice(0)) {
    try {
      tmux('kill-session', '-t', s);
    } catch {
      // already gone
    }
  }
  await target?.stop();
  target = undefined;
});

async function screenUntil(session: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', session, '-S', '-200');
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screen never matched ${pattern}:\n${screen}`);
}

function startInTerminal(t: HttpTarget, faultDuration: string): string {
  const session = `fd-tty-${process.pid}-${sessions.length}`;
  sessions.push(session);
  const env = `TARGET_PID=${t.pid} TARGET_PORT=${t.port} PROBE_TOKEN=tty-token FAULT_DURATION=${faultDuration} FIREDRILL_STATE_DIR=${out.dir}/state`;
  const cmd = `cd ${repoRoot} && env ${env} ${process.execPath} ${cliPath} run test/fixtures/drills/pause-external.yaml --env test --report-dir ${out.dir}; echo "EXIT=$?"; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', '180', '-y', '60', cmd);
  return session;
}

describe.skipIf(skip)('firedrill run on a terminal', () => {
  it('shows the plan, asks before injecting, then shows live progress', async () => {
    target = await startHttpTarget();
    const session = startInTerminal(target, '3s');
    const plan = await screenUntil(session, /Inject these faults now\? \[y\/N\]/);
    expect(plan).toContain('Blast radius: server');
    expect(plan).toMatch(new RegExp(`→ HIT\\s+pid ${target.pid}`));
    expect(target.state()).not.toBe('T');
    tmux('send-keys', '-t', session, 'yes', 'Enter');
    const live = await screenUntil(session, /FAULT .* left of/);
    expect(live).toMatch(/health\s+(ok|ERR)/);
    expect(live).toMatch(/kill switch: armed/);
    const end = await screenUntil(session, /EXIT=\d+/, 30_000);
    expect(end).toMatch(/EXIT=1/);
    expect(end).toContain('report:');
    expect(target.state()).not.toBe('T');
  });

  it('injects nothing when the operator does not type yes', async () => {
    target = await startHttpTarget();
    const session = startInTerminal(target, '3s');
    await screenUntil(session, /Inject these faults now\? \[y\/N\]/);
    tmux('send-keys', '-t', session, 'no', 'Enter');
    const end = await screenUntil(session, /EXIT=\d+/);
    expect(end).toMatch(/EXIT=4/);
    expect(end).toMatch(/not confirmed/);
    expect(target.state()).not.toBe('T');
  });
});
