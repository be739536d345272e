/**
 * A whole game day against the example shop through the built CLI: a held drill, a manual step
 * with notes from the three sources (the facilitator's terminal, `firedrill note`, POST /note), a
 * violated drill (onFailure: continue), a drill its kill switch aborts (onFailure: stop) — the day
 * stops — then `--resume`: the hold, /skip, the last drill, and one day report over both parts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, tempDir, watchStderr } from '../support/cli.js';
import { startShop, type Shop } from '../support/shop.js';

const work = tempDir('firedrill-gameday-');
const stateDir = join(work.dir, 'state');
const reportDir = join(work.dir, 'reports');
const plan = join(repoRoot, 'test/fixtures/gameday/full-day.yaml');
let shop: Shop | undefined;

beforeAll(async () => {
  shop = await startShop();
}, 30_000);
afterAll(async () => {
  await shop?.stop();
  work.cleanup();
});

const env = () => ({ FIREDRILL_STATE_DIR: stateDir });
const vars = () => ['--var', `API_URL=${shop?.apiUrl}`, '--var', `BACKEND_PORT=${new URL(shop?.backendUrl ?? '').port}`];

function startDay(args: string[]) {
  return execa(process.execPath, [cliPath, 'gameday', ...args, '--yes', '--report-dir', reportDir, ...vars()], {
    cwd: repoRoot,
    env: env(),
    reject: false,
    stdin: 'pipe',
    timeout: 150_000,
    killSignal: 'SIGINT',
  });
}

function dayDir(): string {
  const root = join(reportDir, 'gamedays', 'full-day');
  const [id] = readdirSync(root);
  return join(root, id as string);
}

interface DayJson {
  dayId: string;
  steps: Array<{ name: string; status: string; runDir?: string }>;
  timeline: Array<{ type: string; message: string; author?: string; source?: string; step?: number }>;
  sessions: unknown[];
  outcome: { verdict: string; exitCode: number };
}
const readDay = (): DayJson => JSON.parse(readFileSync(join(dayDir(), 'day.json'), 'utf8')) as DayJson;

describe('firedrill gameday', () => {
  it('runs a day: held, notes from three sources, violated, aborted (stop); then resumes to the end', async () => {
    const day = startDay([plan]);
    const err = watchStderr(day);
    await err.until(/>>> MANUAL: Write three notes/, { timeoutMs: 40_000 });
    day.stdin?.write('first, typed by the facilitator\n');
    await err.until(/note Dana \(terminal\): first, typed/);
    const cli = await runCli(['note', '--author', 'Sam', 'second, from another terminal'], { env: env() });
    expect(cli.exitCode, cli.stderr).toBe(0);
    await err.until(/note Sam \(cli\): second/);
    const control = JSON.parse(readFileSync(join(stateDir, 'gamedays', readdirSync(join(stateDir, 'gamedays'))[0] as string), 'utf8')) as { port: number; token: string };
    const denied = await fetch(`http://127.0.0.1:${control.port}/note`, { method: 'POST', body: 'no token' });
    expect(denied.status).toBe(401);
    const posted = await fetch(`http://127.0.0.1:${control.port}/note`, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'third, over http', author: 'Alex' }),
    });
    expect(posted.status).toBe(201);
    await err.until(/note Alex \(http\): third/);
    day.stdin?.write('/done\n');
    const first = await day;
    expect(first.exitCode, err.text().slice(-3000)).toBe(3);
    expect(err.text()).toMatch(/resume: +firedrill gameday --resume/);

    let record = readDay();
    expect(record.steps.map((s) => s.status), JSON.stringify(record.steps, null, 1)).toEqual(['passed', 'passed', 'failed', 'aborted', 'pending', 'pending', 'pending']);
    expect(record.outcome.verdict).toBe('stopped');
    // the notes in the day's timeline, in order, with who wrote them and where
    const notes = record.timeline.filter((e) => e.type === 'note');
    expect(notes.map((n) => [n.author, n.source, n.message])).toEqual([
      ['Dana', 'terminal', 'first, typed by the facilitator'],
      ['Sam', 'cli', 'second, from another terminal'],
      ['Alex', 'http', 'third, over http'],
    ]);
    expect(notes.every((n) => n.step === 1)).toBe(true);
    // ... and in the manual step's own journal
    const manual = JSON.parse(readFileSync(join(dayDir(), record.steps[1]?.runDir as string, 'journal.json'), 'utf8')) as { events: Array<{ type: string; data?: { author?: string; source?: string } }> };
    expect(manual.events.filter((e) => e.type === 'note').map((e) => `${e.data?.author}/${e.data?.source}`)).toEqual(['Dana/terminal', 'Sam/cli', 'Alex/http']);
    const aborted = JSON.parse(readFileSync(join(dayDir(), record.steps[3]?.runDir as string, 'journal.json'), 'utf8')) as { killSwitch: { tripped: boolean; kind: string }; faults: Array<{ status: string }> };
    expect(aborted.killSwitch).toMatchObject({ tripped: true, kind: 'probe' });
    expect(aborted.faults.every((f) => f.status === 'reverted')).toBe(true);

    // resume: the hold waits for the facilitator; /skip skips the next step, the last one runs
    const second = startDay(['--resume', record.dayId]);
    const err2 = watchStderr(second);
    await err2.until(/>>> HOLD: check the dashboards/, { timeoutMs: 20_000 });
    const mark = await runCli(['mark', 'skip'], { env: env() });
    expect(mark.exitCode, mark.stderr).toBe(0);
    const done = await second;
    expect(done.exitCode, err2.text().slice(-3000)).toBe(1);
    record = readDay();
    expect(record.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed', 'aborted', 'done', 'skipped', 'passed']);
    expect(record.sessions).toHaveLength(2);
    expect(record.timeline.some((e) => e.type === 'day-resume')).toBe(true);

    const md = readFileSync(join(dayDir(), 'day.md'), 'utf8');
    expect(md).toContain('**FAILED** (exit 1)');
    for (const s of record.steps.filter((x) => x.runDir)) expect(md).toContain(`${s.runDir}/report.md`);
    expect(md).toMatch(/Sessions: 1\. .*stopped: step 4 aborted ended aborted; onFailure: stop/);
    expect(md).toMatch(/note: third, over http \| Alex \(http\)/);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(dayDir(), 'junit.xml'), 'utf8')) as {
      testsuites: { testsuite: Array<{ name: string; skipped: string; errors: string; failures: string }> };
    };
    const suites = junit.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['01 held', '02 by-hand', '03 violated', '04 aborted', '06 skipped-one', '07 final']);
    const byName = Object.fromEntries(suites.map((s) => [s.name, s]));
    expect(byName['04 aborted']?.errors).not.toBe('0');
    expect(byName['06 skipped-one']?.skipped).toBe('1');
    expect(byName['03 violated']?.failures).toBe('1');
    expect(byName['07 final']).toMatchObject({ failures: '0', errors: '0' });
  }, 180_000);

  it('refuses an invalid plan with positions and exit 2, running nothing', async () => {
    const bad = join(work.dir, 'bad.yaml');
    const { copyFileSync, writeFileSync } = await import('node:fs');
    copyFileSync(join(repoRoot, 'test/fixtures/gameday/backend-freeze.yaml'), join(work.dir, 'backend-freeze.yaml'));
    writeFileSync(bad, readFileSync(plan, 'utf8').replace('onFailure: continue', 'onFailure: maybe').replace('timeout: 1m', 'timeout: 1m\n    mistake: 1'));
    const r = await runCli(['gameday', bad, '--yes', '--report-dir', join(work.dir, 'bad-reports'), ...vars()], { env: env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:25:\d+: steps\.2\.onFailure: invalid value: expected one of "stop", "continue", "ask"/);
    expect(r.stderr).toMatch(/bad\.yaml:24:5: steps\.1: unknown field "mistake"/);
    writeFileSync(bad, readFileSync(plan, 'utf8').replace('watch: [products]', 'watch: [prodcts]'));
    const rules = await runCli(['gameday', bad, '--validate', ...vars()], { env: env() });
    expect(rules.exitCode).toBe(2);
    expect(rules.stderr).toMatch(/bad\.yaml:21:13: step "by-hand" watches probe "prodcts", which is not declared under probes/);
    expect(rules.stderr).toMatch(/bad\.yaml:22:23: expectation on "products", which step "by-hand" does not watch/);
    const good = await runCli(['gameday', plan, '--validate', ...vars()], { env: env() });
    expect(good.exitCode, good.stderr).toBe(0);
  });
});
