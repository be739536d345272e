/**
 * Attacks the runner itself: starts a real drill through the CLI, waits until its faults are in
 * place, SIGKILLs the runner at a seeded random moment of the fault window, and checks that the
 * dead-man switch (or `firedrill recover`, when the watchdog is killed too) leaves nothing behind:
 * no stopped process, no stress worker, no proxy (so no proxy fault), no open ledger, no lock, no watchdog.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mulberry32 } from '../../src/targets/prng.js';
import { runCli, startCli } from './cli.js';
import type { HttpTarget } from './http-target.js';
import { procState } from './proc.js';

export interface SelfChaosOptions {
  runs: number;
  seed: number;
  /**
   * deadman: only the runner dies; recover: the watchdog dies first, then `firedrill recover` cleans
   * up; damage: the ledger is damaged (truncated, torn, garbled, deleted, or the run folder deleted)
   * at a random moment before the runner is SIGKILLed; the dead-man switch must revert from its own
   * copy, and `firedrill recover` must report the damaged run with exit 5.
   */
  mode: 'deadman' | 'recover' | 'damage';
  stateDir: string;
  outDir: string;
  target: HttpTarget;
  /** asked before each run after the first (`done` runs so far): false ends the series early (a bench's time budget) */
  more?: (done: number) => boolean;
}

export interface SelfChaosResult {
  runs: number;
  leftovers: string[];
  /** runner SIGKILL → target running again (deadman and damage modes) */
  revertMs: number[];
  /** damage mode: what was done to each run's ledger */
  damage: string[];
}

export type DamageKind = 'truncate' | 'torn' | 'garble' | 'delete' | 'delete-dir';
const DAMAGE: DamageKind[] = ['truncate', 'torn', 'garble', 'delete', 'delete-dir'];

/** Damages a run's ledger the way a full disk, a crash or a careless person would. */
export function damageLedger(dir: string, kind: DamageKind, random: () => number): string {
  const file = join(dir, 'ledger.jsonl');
  const size = existsSync(file) ? statSync(file).size : 0;
  switch (kind) {
    case 'truncate': {
      // cut at a line boundary: only the ledger.head can tell
      const text = readFileSync(file, 'utf8');
      const ends = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
      const at = ends[Math.floor(random() * (ends.length - 1))] ?? 0;
      truncateSync(file, at);
      return `truncate ${size} → ${at} bytes`;
    }
    case 'torn': {
      const text = readFileSync(file, 'utf8');
      const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
      const at = lastStart + 1 + Math.floor(random() * (text.length - lastStart - 2));
      truncateSync(file, at);
      return `torn last line (cut at ${at} of ${size})`;
    }
    case 'garble': {
      const buf = readFileSync(file);
      const at = Math.floor(random() * (buf.length - 8));
      for (let i = 0; i < 6; i++) buf[at + i] = 0x23 + Math.floor(random() * 10);
      writeFileSync(file, buf);
      return `garbled 6 bytes at ${at}`;
    }
    case 'delete':
      rmSync(file, { force: true });
      return 'deleted ledger.jsonl';
    case 'delete-dir':
      deleteRunFolder(dir);
      return 'deleted the run folder';
  }
}

/**
 * Deletes a live run's folder the way an operator's `rm -rf` would end: gone at once. It is moved
 * out of the state dir first (one atomic rename), then removed: removing it in place races the
 * runner's heartbeat, which can land between the unlinks and the rmdir (ENOTEMPTY).
 */
export function deleteRunFolder(dir: string): void {
  const aside = join(dirname(dirname(dirname(dir))), `.deleted-run-${process.pid}-${Date.now()}`);
  renameSync(dir, aside);
  rmSync(aside, { recursive: true, force: true, maxRetries: 10, retryDelay: 5 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = (pid: number | undefined) => pid !== undefined && !['gone', 'Z'].includes(procState(pid));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await sleep(2);
  }
  return check();
}

interface RunFiles {
  dir: string;
  watchdogPid?: number;
  /** every process the ledger says must be gone after the undo: stress workers, the proxy host */
  killPids: number[];
}

function runFiles(stateDir: string): RunFiles | undefined {
  const runs = join(stateDir, 'runs');
  const [id] = existsSync(runs) ? readdirSync(runs) : [];
  if (!id) return undefined;
  const dir = join(runs, id);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { watchdog?: { pid: number } };
  const killPids = new Set<number>();
  for (const line of readFileSync(join(dir, 'ledger.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { op: string; recipe?: { kind: string; pid?: number } };
    if (entry.recipe?.kind === 'kill-process' && entry.recipe.pid) killPids.add(entry.recipe.pid);
  }
  return { dir, ...(record.watchdog ? { watchdogPid: record.watchdog.pid } : {}), killPids: [...killPids] };
}

export async function selfChaos(o: SelfChaosOptions): Promise<SelfChaosResult> {
  const random = mulberry32(o.seed);
  const result: SelfChaosResult = { runs: 0, leftovers: [], revertMs: [], damage: [] };
  const watchdogs: { run: number; pid: number }[] = [];
  const env = { TARGET_PID: String(o.target.pid), TARGET_PORT: String(o.target.port), FIREDRILL_STATE_DIR: o.stateDir };
  for (let i = 0; i < o.runs && (o.more?.(i) ?? true); i++) {
    const child = startCli(['run', 'test/fixtures/drills/self-chaos.yaml', '--env', 'test', '--yes', '--report-dir', o.outDir, '--log-format', 'json', '--seed', String(i)], { env, timeoutMs: 60_000 });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log += String(chunk);
    });
    // generous: a CLI start on a loaded 2-core machine can take seconds
    const injected = await until(() => (log.match(/"msg":"injected /g) ?? []).length >= 3, 45_000);
    if (!injected) {
      child.kill('SIGKILL');
      await child.catch(() => undefined);
      result.leftovers.push(`run ${i}: the faults never went in:\n${log.slice(-2000)}`);
      continue;
    }
    const files = runFiles(o.stateDir);
    if (o.mode === 'damage' && files) {
      await sleep(Math.floor(random() * 750));
      const kind = DAMAGE[Math.floor(random() * DAMAGE.length)]!;
      result.damage.push(`run ${i}: ${damageLedger(files.dir, kind, random)}`);
      await sleep(Math.floor(random() * 750));
    } else {
      await sleep(Math.floor(random() * 1500));
    }
    if (o.mode === 'recover' && files?.watchdogPid) process.kill(files.watchdogPid, 'SIGKILL');
    const killedAt = performance.now();
    process.kill(child.pid!, 'SIGKILL');
    await child.catch(() => undefined);
    if (o.mode === 'deadman') {
      if (await until(() => procState(o.target.pid) !== 'T', 5000)) result.revertMs.push(performance.now() - killedAt);
      await until(() => !existsSync(files?.dir ?? '/nonexistent'), 5000);
      // the switch writes the crashed run's journal and AAR after clearing the run; checked at the end
      if (files?.watchdogPid) watchdogs.push({ run: i, pid: files.watchdogPid });
    } else if (o.mode === 'damage') {
      if (await until(() => procState(o.target.pid) !== 'T', 5000)) result.revertMs.push(performance.now() - killedAt);
      // the switch's own account of what it reverted, written before it writes the crash report
      await until(() => existsSync(join(files?.dir ?? '/nonexistent', 'watchdog.json')) || !alive(files?.watchdogPid), 10_000);
      if (files?.watchdogPid) watchdogs.push({ run: i, pid: files.watchdogPid });
      const r = await runCli(['recover'], { env });
      if (r.exitCode !== 5) result.leftovers.push(`run ${i} (${result.damage.at(-1)}): recover exited ${r.exitCode}, not 5: ${r.stdout}${r.stderr}`);
      else if (!/DAMAGED/.test(r.stdout)) result.leftovers.push(`run ${i}: recover did not say DAMAGED: ${r.stdout}`);
      if (!existsSync(join(o.stateDir, 'damaged')) || readdirSync(join(o.stateDir, 'damaged')).length !== result.damage.length) result.leftovers.push(`run ${i}: the evidence of the damaged run is not kept under damaged/`);
    } else {
      await sleep(300);
      if (procState(o.target.pid) !== 'T') result.leftovers.push(`run ${i}: the target resumed without recover (was the watchdog really dead?)`);
      const r = await runCli(['recover'], { env });
      if (r.exitCode !== 0) result.leftovers.push(`run ${i}: recover exited ${r.exitCode}: ${r.stdout}${r.stderr}`);
    }
    await until(() => !(files?.killPids ?? []).some(alive), 3000);
    result.runs++;
    if (procState(o.target.pid) === 'T') result.leftovers.push(`run ${i}: target pid ${o.target.pid} is still stopped`);
    for (const pid of (files?.killPids ?? []).filter(alive)) result.leftovers.push(`run ${i}: pid ${pid} (stress worker or proxy host) still runs`);
    if (files && existsSync(files.dir)) result.leftovers.push(`run ${i}: ledger ${files.dir} still open`);
    if (o.mode === 'recover' && alive(files?.watchdogPid)) result.leftovers.push(`run ${i}: watchdog pid ${files?.watchdogPid} outlived its drill`);
    const locks = join(o.stateDir, 'locks');
    if (existsSync(locks) && readdirSync(locks).length > 0) result.leftovers.push(`run ${i}: target locks left: ${readdirSync(locks).join(', ')}`);
    // a leftover must not poison the next run
    if (procState(o.target.pid) === 'T') process.kill(o.target.pid, 'SIGCONT');
  }
  // every dead-man switch is gone once it has written its run's report (bounded)
  await until(() => !watchdogs.some((w) => alive(w.pid)), 30_000);
  for (const w of watchdogs.filter((x) => alive(x.pid))) result.leftovers.push(`run ${w.run}: watchdog pid ${w.pid} outlived its drill`);
  return result;
}
