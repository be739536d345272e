/** `firedrill recover`: undo what abandoned runs left behind, from their fault ledgers. */
import { findAbandonedRuns, recoverRun } from '../../safety/recover.js';
import { stateDir } from '../../safety/state-dir.js';
import { ExitCode } from '../exit-codes.js';

export interface RecoverOptions {
  dryRun?: boolean;
  json?: boolean;
}

export async function recoverCommand(options: RecoverOptions): Promise<number> {
  const dir = stateDir();
  const abandoned = await findAbandonedRuns(dir);
  const reports = [];
  for (const run of abandoned) {
    reports.push(await recoverRun(run.dir, { dryRun: Boolean(options.dryRun), by: 'firedrill recover', reason: run.reason }));
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ stateDir: dir, dryRun: Boolean(options.dryRun), runs: reports }, null, 2)}\n`);
  } else if (reports.length === 0) {
    process.stdout.write(`nothing to recover: no abandoned run under ${dir}\n`);
  } else {
    for (const r of reports) {
      process.stdout.write(`run ${r.runId} (${r.drill}): ${r.reason}\n`);
      if (r.actions.length === 0) process.stdout.write('  no open faults\n');
      for (const a of r.actions) {
        const mark = options.dryRun ? 'would' : a.ok ? 'done ' : 'FAILED';
        process.stdout.write(`  ${mark} ${a.label}: ${a.what}${!a.ok ? ` — ${a.message}` : ''}\n`);
      }
      if (!options.dryRun) process.stdout.write(r.cleared ? '  cleared\n' : `  NOT cleared: the ledger stays in ${r.dir}; fix the failures by hand or run recover again\n`);
    }
  }
  const failed = reports.some((r) => r.actions.some((a) => !a.ok));
  return failed ? ExitCode.revertIncomplete : ExitCode.ok;
}
