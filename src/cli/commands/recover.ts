/**
 * `firedrill recover`: undo what abandoned runs left behind, from their fault ledgers. A damaged
 * ledger is reported line by line with what may be lost, the run's targets are named for a person
 * to check, the evidence is kept under `<stateDir>/damaged/`, and the exit code is 5.
 */
import { findAbandonedRuns, listDamaged, RECOVERY_WAIT_MS, recoverOrphanLocks, recoverRun, type RecoverReport } from '../../safety/recover.js';
import type { RecoveryHolder } from '../../safety/recovery-lock.js';
import { stateDir } from '../../safety/state-dir.js';
import { crashMeta } from '../crash-meta.js';
import { writeCrashReport } from '../crash-report.js';
import { ExitCode } from '../exit-codes.js';
import { printErr, printOut, jsonText } from '../terminal.js';

export interface RecoverOptions {
  dryRun?: boolean;
  json?: boolean;
}

function printReport(r: RecoverReport, dryRun: boolean): void {
  const damaged = r.damage.length > 0;
  printOut(`run ${r.runId} (${r.drill}): ${r.reason}${damaged ? ' — its fault ledger is DAMAGED' : ''}\n`);
  for (const d of r.damage) {
    printOut(`  DAMAGED ${d.file}${d.line ? ` line ${d.line}` : ''}: ${d.what}\n          may be lost: ${d.mayBeLost}\n`);
  }
  for (const a of r.watchdog?.actions ?? []) {
    printOut(`  ${a.ok ? 'done ' : 'FAILED'} ${a.label}: reverted by the ${r.watchdog?.by} from its own copy at ${r.watchdog?.at}${a.ok ? '' : ` — ${a.message}`}\n`);
  }
  if (r.actions.length === 0 && !r.watchdog?.actions.length) printOut(`  no open faults ${damaged ? 'could be read' : ''}\n`);
  for (const a of r.actions) {
    const mark = dryRun ? 'would' : a.ok ? 'done ' : 'FAILED';
    printOut(`  ${mark} ${a.label}: ${a.what}${!a.ok ? ` — ${a.message}` : ''}\n`);
  }
  if (damaged || r.actions.some((a) => !a.ok)) {
    printOut(r.targets.length > 0 ? `  check these targets by hand (from the run's locks and journal): ${r.targets.join('; ')}\n` : '  the run\'s targets are unknown (no lock or journal left): check what the drill targets by hand\n');
  }
  if (r.journal) printOut(`  journal (verdict crashed): ${r.journal}\n`);
  if (dryRun) return;
  if (damaged) printOut(`  evidence kept in ${r.evidence ?? r.dir}: nothing of it is deleted\n`);
  else printOut(r.cleared ? '  cleared\n' : `  NOT cleared: the ledger stays in ${r.dir}; fix the failures by hand or run recover again\n`);
}

export async function recoverCommand(options: RecoverOptions): Promise<number> {
  const dir = stateDir();
  const dryRun = Boolean(options.dryRun);
  const keptBefore = listDamaged(dir);
  const abandoned = await findAbandonedRuns(dir);
  const reports: RecoverReport[] = [];
  for (const run of abandoned) {
    const onWait = (holder: RecoveryHolder | undefined) =>
      printErr(`run ${run.runId} is being recovered by ${holder ? `the ${holder.by} (pid ${holder.owner.pid})` : 'another recoverer'}: waiting for it to finish (at most ${RECOVERY_WAIT_MS / 1000} s)\n`);
    const common = { dryRun, by: 'firedrill recover', reason: run.reason, writeCrash: writeCrashReport, meta: crashMeta(), onWait };
    reports.push(run.dir ? await recoverRun(run.dir, common) : await recoverOrphanLocks(dir, run.runId, common));
  }
  if (options.json) {
    printOut(jsonText({ stateDir: dir, dryRun, runs: reports, damagedKept: keptBefore }));
  } else {
    if (reports.length === 0) printOut(`nothing to recover: no abandoned run under ${dir}\n`);
    for (const r of reports) printReport(r, dryRun);
    if (keptBefore.length > 0) {
      printOut(`${keptBefore.length} damaged run(s) reported earlier are kept for inspection: ${keptBefore.join(', ')} (delete them once their targets are checked)\n`);
    }
  }
  const failed = reports.some((r) => r.actions.some((a) => !a.ok) || r.damage.length > 0 || (r.watchdog?.actions ?? []).some((a) => !a.ok));
  return failed ? ExitCode.revertIncomplete : ExitCode.ok;
}
