/**
 * The dead-man switch: a small process started with each drill, in its own session so terminal
 * signals do not reach it. It watches the runner (alive, heartbeat fresh, within its deadline); when
 * the runner dies, hangs or overruns, it reverts the open ledger entries and exits. It also exits
 * as soon as the run is closed, so it never outlives its drill.
 *
 * Usage: node watchdog-main.js <runDir> <heartbeatStaleMs>
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readLedger } from './ledger.js';
import { isAlive } from './process-identity.js';
import { recoverRun } from './recover.js';

const POLL_MS = 100;

async function main(): Promise<number> {
  const [dir, staleArg] = process.argv.slice(2);
  if (!dir) return 2;
  const staleMs = Number(staleArg) > 0 ? Number(staleArg) : 3000;
  // the runner may be killed by a signal meant for its whole group; the watchdog stays
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => undefined);
  const started = Date.now();
  for (;;) {
    if (!existsSync(dir)) return 0;
    const state = readLedger(dir);
    if (state.closed) return 0;
    const record = state.record;
    let reason: string | undefined;
    if (record) {
      const heartbeat = heartbeatAge(dir);
      if (!(await isAlive(record.runner))) reason = `the runner (pid ${record.runner.pid}) died`;
      else if (heartbeat > staleMs) reason = `the runner stopped responding (no heartbeat for ${Math.round(heartbeat)} ms)`;
      else if (Date.now() > Date.parse(record.deadline)) reason = 'the run passed its deadline';
    } else if (Date.now() - started > 10_000) {
      reason = 'the run record never appeared';
    }
    if (reason) {
      const report = await recoverRun(dir, { dryRun: false, by: 'dead-man switch', reason });
      return report.cleared ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function heartbeatAge(dir: string): number {
  try {
    return Date.now() - statSync(join(dir, 'heartbeat')).mtimeMs;
  } catch {
    return 0;
  }
}

process.exitCode = await main();
