/**
 * The dead-man switch's process entry (the logic is src/safety/watchdog/). It lives next to the
 * CLI because it writes a crashed run's reports, which is the CLI's layer. It listens for undo
 * recipes before loading anything heavy, so the runner's first hand-over is acknowledged at once.
 *
 * Usage: node watchdog-main.js <runDir> <heartbeatStaleMs>   (with an IPC channel to the runner)
 */
import { listen, Memory } from '../safety/watchdog/memory.js';

const memory = new Memory();
const channel = listen(memory);

async function main(): Promise<number> {
  const [dir, staleArg] = process.argv.slice(2);
  if (!dir) return 2;
  process.title = `firedrill watchdog ${dir}`;
  // the runner may be killed by a signal meant for its whole group; the watchdog stays
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => undefined);
  const { runWatchdog } = await import('../safety/watchdog/watchdog.js');
  const code = await runWatchdog({
    dir,
    staleMs: Number(staleArg) > 0 ? Number(staleArg) : 3000,
    memory,
    disconnected: channel.disconnected,
    onDisconnect: channel.onDisconnect,
    // the reporters load only for a run that crashed
    writeCrash: async (journal, reportDir) => (await import('./crash-report.js')).writeCrashReport(journal, reportDir),
    meta: await import('./crash-meta.js').then((m) => m.crashMeta()),
  });
  // the IPC channel would keep the process alive
  if (process.connected) process.disconnect();
  return code;
}

process.exitCode = await main();
