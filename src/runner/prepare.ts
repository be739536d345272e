/**
 * Stage 1, prepare: everything before the first probe. Refuses (throws a FiredrillError) when the
 * environment, the emergency stop, the targets, the blast radius, the injectors' preflight or the
 * operator say no; nothing has been injected then. Each thing it creates registers its cleanup on
 * the teardown stack first.
 */
import { FiredrillError } from '../errors.js';
import { injectorFor } from '../injectors/registry.js';
import { checkEmergencyStop } from '../safety/emergency-stop.js';
import { findAbandonedRuns, recoverCommandText } from '../safety/recover.js';
import { RunSafety } from '../safety/run-safety.js';
import { checkEnvironment } from './environment-guard.js';
import { FaultWindow } from './fault-window.js';
import { recheckTargets, resolveTargets, startManagedTargets, type PreparedTargets } from './prepare-targets.js';
import type { RunContext } from './run-context.js';
import type { TargetPreparation } from './run-options.js';
import { deferRunCleanups } from './teardown.js';

export interface Prepared {
  targets: PreparedTargets;
  faultWindow: FaultWindow;
}

/** The real target preparation (runner/prepare-targets.ts). */
export const defaultTargetPreparation: TargetPreparation = { start: startManagedTargets, resolve: resolveTargets, recheck: recheckTargets };

export async function prepare(ctx: RunContext): Promise<Prepared> {
  const { drill, options, rec, killSwitch } = ctx;
  const targetPrep = options.targets ?? defaultTargetPreparation;
  checkEnvironment(drill, options.environment, { allowProduction: options.allowProduction });
  if (options.stateDir) await beginSafety(ctx, options.stateDir);
  killSwitch.start();
  if (options.operatorSignal.aborted) ctx.onOperator();

  deferRunCleanups(ctx);
  await targetPrep.start(drill, ctx.managed, {
    baseDir: options.baseDir,
    logger: ctx.logger,
    signal: ctx.stopRun.signal,
    proxies: ctx.proxies,
    seed: options.seed,
    onStarted: (name, instance) => {
      ctx.state.safety?.targetStarted(name, instance);
      rec.event('target-started', `started ${name} (pid ${instance.pid})`, { target: name, pid: instance.pid });
    },
  });
  const targets = await targetPrep.resolve(drill, ctx.managed, { seed: options.seed, signal: ctx.stopRun.signal, baseDir: options.baseDir, proxies: ctx.proxies });
  rec.journal.targets = targets.records;
  if (ctx.state.safety) {
    const locks = await ctx.state.safety.lockTargets([...targets.selected.values()].flat());
    for (const stale of locks.stale) {
      rec.event('warning', `took over the lock of run ${stale.runId} (${stale.drill}), whose runner is gone; it may have left faults behind: run \`firedrill recover\``, { runId: stale.runId });
    }
  }
  rec.event('targets-resolved', describeSelection(targets), { selected: Object.fromEntries([...targets.selected].map(([k, v]) => [k, v.map((i) => i.pid)])) });
  ctx.state.safety?.checkpoint(rec.journal);

  const faultWindow = new FaultWindow({
    drill,
    selected: targets.selected,
    managed: ctx.managed,
    rollback: ctx.rollback,
    recorder: rec,
    logger: ctx.logger,
    clock: ctx.clock,
    stop: ctx.stopRun.signal,
    onInjectFailed: (reason) => killSwitch.trip('inject-failed', 'injection failed', reason),
    ...(ctx.state.safety ? { ledger: ctx.state.safety } : {}),
    proxies: ctx.proxies,
    runId: options.runId,
    injectorFor: options.injectorFor ?? injectorFor,
  });
  const preflightProblems = await faultWindow.preflight();
  if (preflightProblems.length > 0) {
    throw new FiredrillError('FD_PREFLIGHT_FAILED', `preflight refused: ${preflightProblems.join('; ')}`, { problems: preflightProblems });
  }
  // a rehearsal injects nothing, so there is nothing to confirm
  if (options.confirm && !killSwitch.tripped && !options.rehearse) {
    const yes = await options.confirm({ drill, targets, environment: ctx.environment, seed: options.seed });
    if (!yes) throw new FiredrillError('FD_NOT_CONFIRMED', 'not confirmed by the operator');
  }
  return { targets, faultWindow };
}

/** The emergency stop, leftovers of earlier runs, then the fault ledger, target locks and dead-man switch. */
async function beginSafety(ctx: RunContext, stateDir: string): Promise<void> {
  const { drill, options, rec } = ctx;
  checkEmergencyStop(stateDir);
  for (const left of await findAbandonedRuns(stateDir)) {
    if (!left.mayHoldFaults) continue;
    const what = left.state && left.state.damage.length > 0 ? 'a damaged fault ledger' : `${left.state?.open.length ?? '?'} fault(s)`;
    rec.event('warning', `run ${left.runId} (${left.state?.record?.drill ?? '?'}) left ${what} behind: ${left.reason}; run \`${recoverCommandText(stateDir)}\``, { dir: left.dir });
  }
  const safety = await RunSafety.begin({ stateDir, runId: options.runId, drill: drill.name, file: ctx.loaded.file, maxDurationMs: drill.blastRadius.maxDuration, watchdog: options.watchdog ?? true, logger: ctx.logger, ...(options.reportDir ? { reportDir: options.reportDir } : {}) });
  ctx.state.safety = safety;
  if (safety.watchdogNote) rec.event('preflight', safety.watchdogNote, undefined, 'preflight');
  safety.checkpoint(rec.journal);
  ctx.teardown.defer('close the fault ledger', () => {
    const ended = safety.end();
    if (ended.open > 0) {
      rec.event('warning', `${ended.open} undo(s) did not complete; the fault ledger is kept in ${safety.dir} for \`firedrill recover\``, { dir: safety.dir });
    }
    for (const d of ended.damage) {
      rec.event('warning', `the fault ledger was DAMAGED during the run (${d}); the runner reverted from its own rollback stack, and the evidence is kept for \`firedrill recover\` to report`);
    }
  });
  ctx.stopFiles.push(safety.stopFile);
  options.onSafetyReady?.({ runDir: safety.dir, stopFile: safety.stopFile });
}

function describeSelection(targets: PreparedTargets): string {
  return [...targets.selected].map(([name, list]) => `${name}: ${list.map((i) => `pid ${i.pid}`).join(', ')}`).join('; ');
}
