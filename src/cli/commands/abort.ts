/**
 * `firedrill abort [run-id]`: the emergency stop. Writes the stop file of one run (or of every run
 * on the machine with --all); the runner reverts at once. `--hold` also keeps new drills from
 * starting until `--release`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FiredrillError } from '../../errors.js';
import { emergencyStopFile } from '../../safety/emergency-stop.js';
import { listRunDirs } from '../../safety/ledger.js';
import { readLedger } from '../../safety/ledger-read.js';
import { isAlive } from '../../safety/process-identity.js';
import { stateDir } from '../../safety/state-dir.js';
import { ExitCode } from '../exit-codes.js';
import { printOut } from '../terminal.js';

export interface AbortOptions {
  all?: boolean;
  hold?: boolean;
  release?: boolean;
}

export async function abortCommand(runId: string | undefined, options: AbortOptions): Promise<number> {
  const dir = stateDir();
  if (options.release) {
    rmSync(emergencyStopFile(dir), { force: true });
    printOut('emergency stop released: drills may start again\n');
    return ExitCode.ok;
  }
  const live = [];
  for (const runDir of listRunDirs(dir)) {
    const state = readLedger(runDir);
    if (state.record && !state.closed && (await isAlive(state.record.runner))) live.push({ runDir, record: state.record });
  }
  if (options.hold) writeFileSync(emergencyStopFile(dir), `held by firedrill abort at ${new Date().toISOString()}\n`);
  let chosen = live;
  if (runId) chosen = live.filter((r) => r.record.runId === runId);
  else if (!options.all) {
    if (live.length > 1) {
      throw new FiredrillError('FD_USAGE', `${live.length} drills are running (${live.map((r) => r.record.runId).join(', ')}); name one or pass --all`);
    }
  }
  if (runId && chosen.length === 0) {
    throw new FiredrillError('FD_USAGE', `no running drill with id ${runId}${live.length ? ` (running: ${live.map((r) => r.record.runId).join(', ')})` : ''}`);
  }
  for (const r of chosen) {
    writeFileSync(join(r.runDir, 'STOP'), `aborted at ${new Date().toISOString()}\n`);
    printOut(`abort sent to run ${r.record.runId} (${r.record.drill}, runner pid ${r.record.runner.pid}): it reverts now\n`);
  }
  if (chosen.length === 0) printOut('no drill is running\n');
  if (options.hold) printOut(`emergency stop held: no drill starts until \`firedrill abort --release\` (or rm ${emergencyStopFile(dir)})\n`);
  return ExitCode.ok;
}
