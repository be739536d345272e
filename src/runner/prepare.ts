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
import type { FaultAction } from '../injectors/contract.js';
import { Fleet } from '../fleet/fleet.js';
import { remoteHostsOf } from '../targets/registry.js';
import { remoteAction } from '../fleet/remote-action.js';
import { defaultCredentials } from '../ssh/credentials.js';
import { recheckTargets, resolveTargets, startManagedTargets, type PreparedTargets } from './prepare-targets.js';
import type { RunContext } from './run-context.js';
import { DEFAULT_PARALLEL, type TargetPreparation } from './run-options.js';
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

  // registered before the revert (the teardown stack runs newest first): leases go only after the runner's own revert
  ctx.teardown.defer('release the remote hosts\' leases and close SSH', () => releaseFleet(ctx));
  deferRunCleanups(ctx);
  ctx.state.fleet = await connectFleet(ctx);
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
  const fleet = ctx.state.fleet;
  const targets = await targetPrep.resolve(drill, ctx.managed, { seed: options.seed, signal: ctx.stopRun.signal, baseDir: options.baseDir, proxies: ctx.proxies, ...(fleet ? { fleet } : {}) });
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
    ...(fleet ? { wrap: (action: FaultAction) => remoteAction(fleet, action), parallel: fleet.parallel } : {}),
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

/**
 * Connects to every host of every `hosts:` target before anything is resolved or injected: an
 * unreachable host, or a refused host key, refuses the run (exit 4) with nothing injected anywhere.
 */
async function connectFleet(ctx: RunContext): Promise<Fleet | undefined> {
  const { drill, options } = ctx;
  const remote = remoteHostsOf(drill.targets, options.baseDir);
  if (remote.length === 0) return undefined;
  const fleet = new Fleet({
    credentials: options.fleet?.credentials ?? defaultCredentials(),
    parallel: options.fleet?.parallel ?? DEFAULT_PARALLEL,
    ...(options.fleet?.leaseBaseDir ? { leaseBaseDir: options.fleet.leaseBaseDir } : {}),
    runId: options.runId,
    // a lease outlives the drill's hard cap by a minute at most, whatever happens to the runner
    deadlineMs: drill.blastRadius.maxDuration + 60_000,
    logger: ctx.logger,
  });
  ctx.state.fleet = fleet;
  for (const r of remote) fleet.add(r.hosts, r.leaseMs);
  await fleet.connectAll(ctx.stopRun.signal);
  return fleet;
}

/** Every host's lease goes once the runner undid all there; a host it could not reach keeps its lease, which reverts by itself. */
async function releaseFleet(ctx: RunContext): Promise<void> {
  const fleet = ctx.state.fleet;
  if (!fleet) return;
  try {
    for (const r of await fleet.releaseAll()) {
      if (r.outcome === 'released') ctx.rec.event('revert', `host ${r.host}: lease released after the runner's revert (${Math.round(r.ms)} ms)`, { host: r.host, ms: Math.round(r.ms) });
      else if (r.outcome !== 'no-lease') ctx.rec.event('warning', `host ${r.host}: ${r.outcome}: ${r.detail ?? ''}`, { host: r.host, outcome: r.outcome });
    }
  } finally {
    await fleet.close();
  }
}
