/**
 * The dead-man switch's process entry (the logic is src/safety/watchdog/watchdog.ts). It lives
 * next to the CLI because it writes a crashed run's reports, which is the CLI's layer.
 *
 * Usage: node watchdog-main.js <runDir> <heartbeatStaleMs>   (with an IPC channel to the runner)
 */
import { runWatchdog } from '../safety/watchdog/watchdog.js';
import { crashMeta, writeCrashReport } from './crash-report.js';

async function main(): Promise<number> {
  const [dir, staleArg] = process.argv.slice(2);
  if (!dir) return 2;
  process.title = `firedrill watchdog ${dir}`;
  // the runner may be killed by a signal meant for its whole group; the watchdog stays
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => undefined);
  const code = await runWatchdog({ dir, staleMs: Number(staleArg) > 0 ? Number(staleArg) : 3000, writeCrash: writeCrashReport, meta: crashMeta() });
  // the IPC channel would keep the process alive
  if (process.connected) process.disconnect();
  return code;
}

process.exitCode = await main();
