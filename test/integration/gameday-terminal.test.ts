/**
 * The facilitator's terminal, read from a real terminal (tmux capture-pane): the current step and
 * the next, elapsed and remaining time, each expectation's live state (holding / AT RISK / MISSED),
 * the kill switch and the last notes; colour by default, none with NO_COLOR, and a narrow terminal
 * gets lines cut to its width instead of a broken screen.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { startShop, type Shop } from '../support/shop.js';

const skip = missing({ commands: ['tmux'] });
const out = tempDir('firedrill-gameday-tty-');
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sessions: string[] = [];
let shop: Shop | undefined;

beforeAll(async () => {
  if (!skip) shop = await startShop();
}, 30_000);
afterEach(() => {
  for (const s of sessions.splice(0)) {
    try {
      tmux('kill-session', '-t', s);
    } catch {
      // already gone
    }
  }
});
afterAll(async () => {
  await shop?.stop();
  out.cleanup();
});

/** Polls the pane (with escape codes when `escapes`) until it matches; bounded. */
async function screenUntil(session: string, pattern: RegExp, options: { timeoutMs?: number; escapes?: boolean } = {}): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-t', session, '-S', '-300');
    if (pattern.test(plain(screen))) return screen;
    await new Promise((r) => setTimeout(r, 80));
  }
  throw new Error(`screen never matched ${pattern}:\n${screen}`);
}

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** The live screen: from its title line to the input line (the bottom of the pane). */
function liveScreen(screen: string): string[] {
  const lines = plain(screen).split('\n');
  const top = lines.findLastIndex((l) => /GAME DAY /.test(l) && !/^\[/.test(l));
  const bottom = lines.findLastIndex((l) => l.startsWith('note>'));
  return top >= 0 && bottom >= top ? lines.slice(top, bottom + 1) : [];
}

function startDay(plan: string, width: number, extraEnv = ''): string {
  const session = `fd-gd-tty-${process.pid}-${sessions.length}`;
  sessions.push(session);
  const vars = `--var API_URL=${shop?.apiUrl} --var BACKEND_PORT=${new URL(shop?.backendUrl ?? '').port}`;
  const cmd = `cd ${repoRoot} && env -u NO_COLOR TERM=xterm-256color FIREDRILL_STATE_DIR=${out.dir}/state ${extraEnv} ${process.execPath} ${cliPath} gameday ${plan} --yes --report-dir ${out.dir}/reports ${vars}; echo "EXIT=$?"; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', String(width), '-y', '50', cmd);
  return session;
}

// eslint-disable-next-line no-control-regex
const COLOR = /\x1b\[(3[0-9]|1|2)m/;

describe.skipIf(skip)('the facilitator terminal', () => {
  it('shows step, next, time, live expectation states, kill switch and the last notes, in colour', async () => {
    const session = startDay('test/fixtures/gameday/terminal-day.yaml', 140);
    const risk = await screenUntil(session, /AT RISK +fault +checkout/, { escapes: true });
    const live = liveScreen(risk).join('\n');
    expect(live).toMatch(/GAME DAY Facilitator screen test/);
    expect(live).toMatch(/elapsed \d[\d.]*m?s {2}remaining (9m|10m)[\d.]*s? of 10m/);
    expect(live).toMatch(/kill switch: .*armed: 1 condition\(s\)/);
    expect(live).toMatch(/STEP 1\/2.* drill freeze-checkout .*FAULT.* left/);
    expect(live).toMatch(/next:.* 2\/2 manual fail-over-by-hand/);
    expect(live).toMatch(/pending .*recovery +products successRate >= 90%/);
    expect(risk).toMatch(COLOR);

    // the fault phase ended without checkout holding: missed, while recovery is watched
    const missed = liveScreen(await screenUntil(session, /MISSED +fault +checkout.*\n +holding +recovery +products successRate >= 90%/)).join('\n');
    expect(missed).toMatch(/RECOVERY .* left/);

    const manual = await screenUntil(session, /STEP 2\/2 manual fail-over-by-hand/);
    expect(liveScreen(manual).join('\n')).toMatch(/next:.* nothing \(last step\)/);
    await screenUntil(session, /holding +\S* *products successRate >= 90%/);
    for (const note of ['failover started', 'replica promoted', 'dns updated', 'traffic back']) {
      tmux('send-keys', '-t', session, '-l', note);
      tmux('send-keys', '-t', session, 'Enter');
      await screenUntil(session, new RegExp(`Dana \\(terminal\\): ${note}`));
    }
    const notes = liveScreen(await screenUntil(session, /notes\n(.*\n){2}.*Dana \(terminal\): traffic back/)).join('\n');
    // the last three notes, the oldest gone from the screen (it stays in the scrolling timeline)
    expect(notes).toMatch(/notes\n.*replica promoted\n.*dns updated\n.*traffic back/);
    tmux('send-keys', '-t', session, '-l', '/done');
    tmux('send-keys', '-t', session, 'Enter');
    const end = await screenUntil(session, /EXIT=\d+/, { timeoutMs: 30_000 });
    expect(end).toMatch(/EXIT=1/);
    expect(end).toMatch(/GAME DAY FAILED/);
  }, 90_000);

  it('respects NO_COLOR and cuts lines to a narrow terminal', async () => {
    const session = startDay('test/fixtures/gameday/manual-only.yaml', 44, 'NO_COLOR=1');
    const screen = await screenUntil(session, /STEP 1\/1 manual fail-over-by-hand[\s\S]*holding/, { escapes: true });
    expect(screen).not.toMatch(COLOR);
    const live = liveScreen(screen);
    expect(live.length).toBeGreaterThan(4);
    for (const line of live) expect(line.length, line).toBeLessThanOrEqual(44);
    expect(live.join('\n')).toMatch(/elapsed .* remaining /);
    expect(live.join('\n')).toContain('…');
    expect(live.at(-1)).toMatch(/^note> +\(\/abort stops\)/);
    tmux('send-keys', '-t', session, '-l', 'a note typed on a narrow terminal that is far longer than the screen');
    tmux('send-keys', '-t', session, 'Enter');
    const noted = liveScreen(await screenUntil(session, /notes\n.*Dana: a note typed/));
    for (const line of noted) expect(line.length, line).toBeLessThanOrEqual(44);
    tmux('send-keys', '-t', session, '-l', '/done');
    tmux('send-keys', '-t', session, 'Enter');
    const end = await screenUntil(session, /EXIT=\d+/);
    expect(end).toMatch(/EXIT=0/);
  }, 60_000);
});
