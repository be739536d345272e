/**
 * Runs one drill: environment guard → targets → preflight (steady state) → baseline → inject →
 * fault window → revert → recovery → verdict. Whatever happens — success, kill switch, Ctrl-C,
 * maxDuration, a stop file, an exception — every registered undo runs before this returns, and
 * runner-managed targets are stopped after that.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { LoadedDrill } from '../drill/load.js';
import { faultWindowMs } from '../drill/rules/timing.js';
import type { Drill, PhaseName } from '../drill/schema.js';
import { errorMessage, FiredrillError, isFiredrillError } from '../errors.js';
import type { Journal, PhaseRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import { runProbe } from '../probes/registry.js';
import { ManagedTargets } from '../targets/managed/managed-targets.js';
import { ProxyTargets } from '../targets/proxy/proxy-targets.js';
import { evaluateExpectations } from '../verdict/expectations.js';
import { computeRunMetrics } from '../verdict/run-metrics.js';
import { sleepUnlessAborted, type Clock } from './clock.js';
import { checkEnvironment } from './environment-guard.js';
import { FaultWindow } from './fault-window.js';
import { JournalRecorder } from './journal-recorder.js';
import { KillSwitch, type Trip } from './kill-switch.js';
import { combineObservers, type RunObserver } from './observer.js';
import { decideOutcome } from './outcome.js';
import { recheckTargets, resolveTargets, startManagedTargets, type PreparedTargets } from './prepare-targets.js';
import { ProbeScheduler, type ProbeRunner } from './probe-scheduler.js';
import { RollbackStack } from './rollback-stack.js';
import { checkSteadyState } from './steady-state.js';
import { checkEmergencyStop } from '../safety/emergency-stop.js';
import { findAbandonedRuns } from '../safety/recover.js';
import { RunSafety } from '../safety/run-safety.js';

export interface PlanSummary {
  drill: Drill;
  targets: PreparedTargets;
  environment: string;
  seed: number;
}

export interface RunOptions {
  runId: string;
  environment: string | undefined;
  allowProduction: boolean;
  seed: number;
  /** files whose appearance stops the drill at once */
  stopFiles: string[];
  /** aborts when the operator presses Ctrl-C or the process gets SIGTERM/SIGHUP */
  operatorSignal: AbortSignal;
  /** asked after the targets are resolved and before anything is injected; false refuses */
  confirm?: (plan: PlanSummary) => Promise<boolean>;
  /** relative `start:` paths resolve against this (the drill file's folder) */
  baseDir: string;
  nearMissShare: number;
  clock: Clock;
  logger: Logger;
  observers?: RunObserver[];
  /** replaceable for tests; defaults to the probe registry */
  probeRunner?: ProbeRunner;
  /** where the fault ledger, target locks and stop files live; without it the run has no ledger (tests) */
  stateDir?: string;
  /** start the dead-man switch with the ledger (default true) */
  watchdog?: boolean;
  /** called once the run's safety layer exists, e.g. to print the per-run stop file */
  onSafetyReady?: (info: { runDir: string; stopFile: string }) => void;
}

/** Runs the drill and returns its journal; never throws for a drill-level failure. */
export async function runDrill(loaded: LoadedDrill, options: RunOptions): Promise<Journal> {
  const { drill } = loaded;
  const { clock, logger } = options;
  const observer = combineObservers(options.observers ?? []);
  const environment = options.environment ?? '';
  const rec = new JournalRecorder(loaded, { runId: options.runId, environment, seed: options.seed }, clock, observer);
  const managed = new ManagedTargets();
  const proxies = new ProxyTargets();
  const rollback = new RollbackStack({
    timeoutMs: drill.safety.undoTimeout,
    retries: drill.safety.undoRetries,
    now: () => clock.now(),
  });
  // aborted by any trip: ends phase waits early
  const stopRun = new AbortController();
  let phase: PhaseName = 'preflight';
  let injectedAny = false;
  let revertStartT: number | undefined;
  let unwinding: Promise<unknown> | undefined;
  let refused: string | undefined;
  let internalError: string | undefined;
  let safety: RunSafety | undefined;
  const stopFiles = [...options.stopFiles];

  const onTrip = (trip: Trip): void => {
    const t = rec.toRunTime(trip.at);
    rec.journal.killSwitch = { tripped: true, t, kind: trip.kind, condition: trip.condition, reason: trip.reason, ...(trip.samples ? { samples: trip.samples } : {}) };
    rec.event(trip.kind === 'operator' ? 'abort' : 'kill-switch', `${trip.kind === 'operator' ? 'operator abort' : 'kill switch tripped'}: ${trip.reason}`, { condition: trip.condition, kind: trip.kind }, phase);
    observer.onKillSwitch(rec.journal.killSwitch);
    stopRun.abort(trip);
    if (rollback.outstanding.length > 0) {
      revertStartT = rec.t();
      // start reverting now, in this very call stack: no waiting for the phase loop to notice
      unwinding = rollback.unwindAll().then(() => {
        rec.journal.killSwitch.reactionMs = Math.round((rec.t() - t) * 10) / 10;
      });
    }
  };

  const probeRunner = options.probeRunner ?? runProbe;
  const scheduler = new ProbeScheduler({
    probes: drill.probes,
    run: probeRunner,
    clock,
    runTime: (ms) => rec.toRunTime(ms),
    phase: () => phase,
    onSample: (sample) => {
      rec.sample(sample);
      killSwitch.observe(sample);
    },
  });
  const killSwitch = new KillSwitch({
    conditions: drill.killSwitch,
    probes: drill.probes,
    noDataIntervals: drill.safety.noDataIntervals,
    stopFiles,
    maxDurationMs: drill.blastRadius.maxDuration,
    clock,
    lastSampleAt: scheduler.lastSampleAt,
    onTrip,
  });
  const onOperator = () => killSwitch.trip('operator', 'operator abort', String(options.operatorSignal.reason ?? 'interrupted by the operator'));
  options.operatorSignal.addEventListener('abort', onOperator, { once: true });

  const phaseRecord = (name: PhaseName, plannedMs: number): PhaseRecord => {
    phase = name;
    return rec.startPhase(name, plannedMs);
  };
  const waitPhase = async (record: PhaseRecord): Promise<boolean> => {
    const full = await sleepUnlessAborted(clock, record.plannedMs, stopRun.signal);
    rec.endPhase(record);
    return full;
  };

  rec.event('run-start', `drill ${drill.name} started in ${environment || '(no environment)'}`, { seed: options.seed });
  let faultWindow: FaultWindow | undefined;
  try {
    checkEnvironment(drill, options.environment, { allowProduction: options.allowProduction });
    if (options.stateDir) {
      checkEmergencyStop(options.stateDir);
      for (const left of await findAbandonedRuns(options.stateDir)) {
        rec.event('warning', `run ${left.state.record?.runId ?? left.dir} (${left.state.record?.drill ?? '?'}) left ${left.state.open.length} fault(s) behind: ${left.reason}; run \`firedrill recover\``, { dir: left.dir });
      }
      safety = await RunSafety.begin({ stateDir: options.stateDir, runId: options.runId, drill: drill.name, file: loaded.file, maxDurationMs: drill.blastRadius.maxDuration, watchdog: options.watchdog ?? true, logger });
      stopFiles.push(safety.stopFile);
      options.onSafetyReady?.({ runDir: safety.dir, stopFile: safety.stopFile });
    }
    killSwitch.start();
    if (options.operatorSignal.aborted) onOperator();

    await startManagedTargets(drill, managed, {
      baseDir: options.baseDir,
      logger,
      signal: stopRun.signal,
      proxies,
      seed: options.seed,
      onStarted: (name, instance) => {
        safety?.targetStarted(name, instance);
        rec.event('target-started', `started ${name} (pid ${instance.pid})`, { target: name, pid: instance.pid });
      },
    });
    const targets = await resolveTargets(drill, managed, { seed: options.seed, signal: stopRun.signal, baseDir: options.baseDir, proxies });
    rec.journal.targets = targets.records;
    if (safety) {
      const locks = await safety.lockTargets([...targets.selected.values()].flat());
      for (const stale of locks.stale) {
        rec.event('warning', `took over the lock of run ${stale.runId} (${stale.drill}), whose runner is gone; it may have left faults behind: run \`firedrill recover\``, { runId: stale.runId });
      }
    }
    rec.event('targets-resolved', describeSelection(targets), { selected: Object.fromEntries([...targets.selected].map(([k, v]) => [k, v.map((i) => i.pid)])) });

    faultWindow = new FaultWindow({
      drill,
      selected: targets.selected,
      managed,
      rollback,
      recorder: rec,
      logger,
      clock,
      stop: stopRun.signal,
      onInjectFailed: (reason) => killSwitch.trip('inject-failed', 'injection failed', reason),
      ...(safety ? { ledger: safety } : {}),
      proxies,
      runId: options.runId,
    });
    const preflightProblems = await faultWindow.preflight();
    if (preflightProblems.length > 0) {
      throw new FiredrillError('FD_PREFLIGHT_FAILED', `preflight refused: ${preflightProblems.join('; ')}`, { problems: preflightProblems });
    }
    if (options.confirm && !killSwitch.tripped) {
      const yes = await options.confirm({ drill, targets, environment, seed: options.seed });
      if (!yes) throw new FiredrillError('FD_NOT_CONFIRMED', 'not confirmed by the operator');
    }

    // preflight: the system must be steady before anything is touched
    scheduler.start();
    killSwitch.armProbes();
    const pre = phaseRecord('preflight', drill.phases.preflight);
    await waitPhase(pre);
    if (killSwitch.tripped) {
      if (killSwitch.tripped.kind === 'probe' || killSwitch.tripped.kind === 'no-data' || killSwitch.tripped.kind === 'metrics-unreachable') {
        throw new FiredrillError('FD_STEADY_STATE_FAILED', `steady state does not hold: ${killSwitch.tripped.reason}`);
      }
    } else {
      const steady = checkSteadyState(drill, rec.journal.samples.filter((s) => s.phase === 'preflight'));
      rec.event('preflight', steady.holds ? 'steady state holds' : `steady state does not hold: ${steady.problems.join('; ')}`, { problems: steady.problems }, 'preflight');
      if (!steady.holds) throw new FiredrillError('FD_STEADY_STATE_FAILED', `steady state does not hold: ${steady.problems.join('; ')}`);

      const base = phaseRecord('baseline', drill.phases.baseline);
      await waitPhase(base);
    }

    if (!killSwitch.tripped) {
      // targets can change between plan and inject: make sure the chosen ones are still the same processes
      await recheckTargets(drill, managed, targets, { seed: options.seed, signal: stopRun.signal, baseDir: options.baseDir, proxies });
      const window = phaseRecord('fault', faultWindowMs(drill));
      injectedAny = true;
      await faultWindow.run();
      rec.endPhase(window);
    }

    const trip = killSwitch.tripped;
    if (unwinding) await unwinding;
    // observe recovery after a planned end or a kill-switch condition; an operator wants out now
    if (injectedAny && (!trip || trip.kind === 'probe' || trip.kind === 'no-data' || trip.kind === 'metrics-unreachable' || trip.kind === 'inject-failed')) {
      const recovery = phaseRecord('recovery', drill.phases.recovery);
      await sleepUnlessAborted(clock, recovery.plannedMs, trip ? options.operatorSignal : stopRun.signal);
      rec.endPhase(recovery);
    }
  } catch (e) {
    if (isFiredrillError(e) && ['FD_ENV_REFUSED', 'FD_TARGET_NOT_FOUND', 'FD_BLAST_RADIUS_EXCEEDED', 'FD_STEADY_STATE_FAILED', 'FD_PREFLIGHT_FAILED', 'FD_NOT_CONFIRMED', 'FD_TARGET_START_FAILED', 'FD_TARGET_LOCKED', 'FD_EMERGENCY_STOP'].includes(e.code) && !injectedAny) {
      refused = e.message;
      rec.event('preflight', `refused: ${e.message}`, { code: e.code }, phase);
    } else if (!(stopRun.signal.aborted && e === stopRun.signal.reason)) {
      internalError = errorMessage(e);
      logger.error({ err: e }, 'internal error during the run; reverting');
      rec.event('warning', `internal error: ${internalError}`, undefined, phase);
    }
  } finally {
    options.operatorSignal.removeEventListener('abort', onOperator);
    killSwitch.stop();
    // the main path and every failure path end here: revert whatever is still registered
    if (rollback.outstanding.length > 0) {
      revertStartT ??= rec.t();
      await rollback.unwindAll();
    }
    if (unwinding) await unwinding;
    await scheduler.stop();
    // the proxies' own counters go into the journal before they stop
    const proxyStats = await proxies.stats();
    if (proxyStats.length > 0) rec.journal.proxies = proxyStats;
    const stoppedProxies = await proxies.stopAll();
    const stoppedProcesses = await managed.stopAll();
    const stopped = { stopped: [...stoppedProxies.stopped, ...stoppedProcesses.stopped], failed: [...stoppedProxies.failed, ...stoppedProcesses.failed] };
    for (const name of stopped.stopped) {
      safety?.done(`target:${name}`);
      rec.event('target-stopped', `stopped ${name}`, { target: name });
    }
    for (const failure of stopped.failed) rec.event('warning', `could not stop ${failure.name}: ${failure.error}`, { target: failure.name });
    const ended = safety?.end();
    if (ended && !ended.cleared) {
      rec.event('warning', `${ended.open} undo(s) did not complete; the fault ledger is kept in ${safety?.dir} for \`firedrill recover\``, { dir: safety?.dir });
    }
  }

  const lastRevertT = maxDefined(rec.journal.faults.map((f) => f.revertedT));
  const firstInjectT = minDefined(rec.journal.faults.map((f) => f.injectedT));
  // a refused run tested nothing: its preflight samples are not evidence for any expectation
  rec.journal.expectations = refused
    ? []
    : evaluateExpectations(drill, rec.journal.phases, rec.journal.samples, { nearMissShare: options.nearMissShare, ...(lastRevertT !== undefined ? { lastRevertT } : {}) });
  rec.journal.metrics = computeRunMetrics({
    samples: rec.journal.samples,
    ...(firstInjectT !== undefined ? { firstInjectT } : {}),
    ...(lastRevertT !== undefined ? { lastRevertT } : {}),
    ...(revertStartT !== undefined ? { revertStartT } : {}),
  });
  const recovered = rec.journal.metrics.timeToRecoverMs;
  if (lastRevertT !== undefined && recovered !== null) {
    rec.event('recovered', `healthy again ${formatDurationMs(recovered)} after the last revert`, { timeToRecoverMs: recovered }, 'recovery');
  }
  rec.journal.outcome = decideOutcome({
    ...(refused ? { refused } : {}),
    ...(internalError ? { internalError } : {}),
    killSwitch: rec.journal.killSwitch,
    faults: rec.journal.faults,
    expectations: rec.journal.expectations,
  });
  rec.event('run-end', rec.journal.outcome.reason, { verdict: rec.journal.outcome.verdict, exitCode: rec.journal.outcome.exitCode });
  const journal = rec.finish();
  observer.onFinished(journal);
  return journal;
}

function describeSelection(targets: PreparedTargets): string {
  return [...targets.selected]
    .map(([name, list]) => `${name}: ${list.map((i) => `pid ${i.pid}`).join(', ')}`)
    .join('; ');
}

function maxDefined(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
}

function minDefined(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.min(...v) : undefined;
}
