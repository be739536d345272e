/**
 * A damaged fault ledger must never turn into "nothing to recover": the dead-man switch reverts
 * from its own in-memory copy, `recover` reverts what it can still read, says what is damaged and
 * exits 5, and the evidence stays. Each case damages the ledger of a real run while its fault is
 * in place, then SIGKILLs the runner (and, where the case needs it, the watchdog too).
 */
import { SAMPLE_STREAM_FILE } from '../../src/journal/sample-stream.js';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { runCli, startCli, tempDir, watchStderr } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';
import { deleteRunFolder } from '../support/self-chaos.js';

const drill = 'test/fixtures/drills/pause-external.yaml';
const out = tempDir('firedrill-damage-out-');
const states: { cleanup: () => void }[] = [];
afterAll(() => {
  out.cleanup();
  for (const s of states) s.cleanup();
});

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

interface LiveRun {
  stateDir: string;
  runDir: string;
  ledger: string;
  watchdogPid: number;
  runnerPid: number;
  child: ReturnType<typeof startCli>;
  env: Record<string, string>;
}

/** Starts the pause drill for 30 s and returns once the target is paused. */
async function startPausedRun(t: HttpTarget): Promise<LiveRun> {
  const state = tempDir('firedrill-damage-state-');
  states.push(state);
  const env = { TARGET_PID: String(t.pid), TARGET_PORT: String(t.port), PROBE_TOKEN: 'unused-token', FAULT_DURATION: '30s', FIREDRILL_STATE_DIR: state.dir };
  const child = startCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json'], { env, timeoutMs: 60_000 });
  await watchStderr(child).until(/"msg":"injected /);
  expect(t.state()).toBe('T');
  const [id] = readdirSync(join(state.dir, 'runs'));
  const runDir = join(state.dir, 'runs', id!);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { watchdog: { pid: number } };
  return { stateDir: state.dir, runDir, ledger: join(runDir, 'ledger.jsonl'), watchdogPid: record.watchdog.pid, runnerPid: child.pid!, child, env };
}

async function killRunner(run: LiveRun, options: { watchdogToo?: boolean } = {}): Promise<void> {
  if (options.watchdogToo) process.kill(run.watchdogPid, 'SIGKILL');
  process.kill(run.runnerPid, 'SIGKILL');
  await run.child.catch(() => undefined);
  if (options.watchdogToo) await until(() => !alive(run.watchdogPid), 3000);
}

/** The crashed journal of the run `latestRunId` names, with its report folder. */
function crashRun(): { folder: string; journal: Journal<Sample[]> } | undefined {
  const dir = join(out.dir, 'pause-external');
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((n) => n !== 'latest' && existsSync(join(dir, n, 'journal.json')))
    .map((n) => ({ folder: join(dir, n), journal: asJournal(JSON.parse(readFileSync(join(dir, n, 'journal.json'), 'utf8'))) }))
    .find((r) => r.journal.outcome.verdict === 'crashed' && r.journal.runId === latestRunId);
}
const crashJournal = () => crashRun()?.journal;
let latestRunId = '';

describe('a damaged fault ledger is damage, never "nothing open"', () => {
  it('the dead-man switch reverts from its own copy when the ledger is deleted, and recover reports the damage (exit 5)', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    rmSync(run.ledger);
    await killRunner(run);
    expect(await until(() => target!.state() !== 'T', 5000), 'the watchdog resumed the target').toBe(true);
    await until(() => !alive(run.watchdogPid), 5000);
    const r = await runCli(['recover'], { env: run.env });
    expect(r.exitCode, r.stdout + r.stderr).toBe(5);
    expect(r.stdout).toMatch(/DAMAGED/);
    expect(r.stdout).toContain('ledger.jsonl');
    expect(r.stdout).toMatch(/missing/);
    expect(r.stdout).toContain(`pid ${target.pid}`);
    expect(r.stdout).toMatch(/reverted by the dead-man switch from its own copy/);
    // the evidence is kept
    expect(readdirSync(join(run.stateDir, 'damaged')).length).toBe(1);
  });

  it('recover reverts the records it can still read when a line is garbled and the watchdog died too (exit 5)', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    const lines = readFileSync(run.ledger, 'utf8').split('\n');
    // garble the first record (the header); the intent after it stays readable
    lines[0] = `{"op":"he#%!${lines[0]!.slice(14)}`;
    writeFileSync(run.ledger, lines.join('\n'));
    await killRunner(run, { watchdogToo: true });
    expect(target.state()).toBe('T');
    const r = await runCli(['recover'], { env: run.env });
    expect(r.exitCode, r.stdout + r.stderr).toBe(5);
    expect(target.state()).not.toBe('T');
    expect(r.stdout).toMatch(/ledger\.jsonl line 1: garbled/);
    expect(readdirSync(join(run.stateDir, 'damaged')).length).toBe(1);
  });

  it('recover says a truncated ledger may have lost records, names the run\'s targets and keeps the evidence (exit 5)', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    truncateSync(run.ledger, Math.floor(readFileSync(run.ledger).length / 3));
    await killRunner(run, { watchdogToo: true });
    const r = await runCli(['recover'], { env: run.env });
    expect(r.exitCode, r.stdout + r.stderr).toBe(5);
    expect(r.stdout).toMatch(/DAMAGED/);
    expect(r.stdout).toMatch(/may be lost/);
    // the run's target, from its lock, so a person can check it
    expect(r.stdout).toContain(`pid ${target.pid}`);
    const damaged = readdirSync(join(run.stateDir, 'damaged'));
    expect(damaged.length).toBe(1);
    expect(existsSync(join(run.stateDir, 'damaged', damaged[0]!, 'ledger.jsonl'))).toBe(true);
    // a second recover does not hide it either
    const again = await runCli(['recover'], { env: run.env });
    expect(again.stdout).toMatch(/damaged/);
    process.kill(target.pid, 'SIGCONT');
  });

  it('the dead-man switch reverts when the whole run folder is deleted next to a live lock; recover exits 5', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    deleteRunFolder(run.runDir);
    await killRunner(run);
    expect(await until(() => target!.state() !== 'T', 5000), 'the watchdog resumed the target').toBe(true);
    await until(() => !alive(run.watchdogPid), 5000);
    const r = await runCli(['recover'], { env: run.env });
    expect(r.exitCode, r.stdout + r.stderr).toBe(5);
    expect(r.stdout).toMatch(/lock/);
    expect(r.stdout).toContain(`pid ${target.pid}`);
  });
});

describe('a run whose runner died', () => {
  it('gets a journal and an AAR with verdict "crashed" written by the dead-man switch, and history shows it', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    latestRunId = JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')).runId as string;
    await killRunner(run);
    expect(await until(() => target!.state() !== 'T', 5000)).toBe(true);
    // the reporters load only when a run crashed: give a loaded machine time
    expect(await until(() => crashJournal() !== undefined, 15_000), 'a crashed journal appeared').toBe(true);
    const j = crashJournal()!;
    expect(j.outcome.reason).toMatch(/runner/);
    expect(j.events.some((e) => /dead-man switch/.test(e.message) && /revert/.test(e.type))).toBe(true);
    expect(j.faults[0]).toMatchObject({ status: 'reverted' });
    // the samples the runner streamed to its report folder before it died (every phase up to the
    // fault's start is flushed) are in the crashed journal; the stream file itself is gone
    expect(j.samples.length).toBeGreaterThan(0);
    expect(j.samples.some((s) => s.phase === 'preflight')).toBe(true);
    // once the switch has written the reports too (this run's folder only: other cases in this
    // file leave runs without a crashed journal)
    const stream = join(crashRun()!.folder, SAMPLE_STREAM_FILE);
    expect(await until(() => !existsSync(stream), 15_000), 'the stream file is removed').toBe(true);
    const h = await runCli(['history', out.dir], { env: run.env });
    expect(h.stdout).toMatch(/crashed/);
  });

  it('a later run on the same target is refused (exit 4) with the recover command while the abandoned run has open faults', async () => {
    target = await startHttpTarget();
    const run = await startPausedRun(target);
    await killRunner(run, { watchdogToo: true });
    const r = await runCli(['run', drill, '--env', 'test', '--yes', '--report-dir', out.dir], { env: run.env, timeoutMs: 30_000 });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toContain(`FIREDRILL_STATE_DIR=${run.stateDir} firedrill recover`);
    const rec = await runCli(['recover'], { env: run.env });
    expect(rec.exitCode, rec.stdout).toBe(0);
    expect(target.state()).not.toBe('T');
    // recover wrote the crashed run's journal: what it reverted, by whom and when
    expect(rec.stdout).toMatch(/journal \(verdict crashed\): (.+journal\.json)/);
    const path = /journal \(verdict crashed\): (.+journal\.json)/.exec(rec.stdout)![1]!;
    const j = asJournal(JSON.parse(readFileSync(path, 'utf8')));
    expect(j.outcome.verdict).toBe('crashed');
    expect(j.events.some((e) => e.type === 'revert' && /by the firedrill recover at /.test(e.message))).toBe(true);
    expect(j.events.some((e) => e.type === 'inject' && /SIGSTOP/.test(e.message))).toBe(true);
  });
});
