/**
 * Everything one run shares between its stages (prepare, phases, teardown, judge): the journal
 * being written, the rollback and teardown stacks, the probe loops, the kill switch, and the few
 * facts a later stage needs from an earlier one.
 */
import { mark } from '../observability/revert-timeline.js';
import type { Fleet } from '../fleet/fleet.js';
import type { Clock } from '../clock/clock.js';
import type { LoadedDrill } from '../drill/load.js';
import type { Drill, PhaseName } from '../drill/schema.js';
import { join } from 'node:path';
import { combineObservers, type RunObserver } from '../journal/observer.js';
import { SAMPLE_STREAM_FILE } from '../journal/sample-stream.js';
import type { PhaseRecord } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import { runProbe } from '../probes/registry.js';
import type { RunSafety } from '../safety/run-safety.js';
import { ManagedTargets } from '../targets/managed/managed-targets.js';
import { ProxyTargets } from '../targets/proxy/proxy-targets.js';
import { JournalRecorder } from './journal-recorder.js';
import { KillSwitch, type Trip } from './kill-switch.js';
import { ProbeScheduler } from './probe-scheduler.js';
import { RehearsalWatch } from './rehearsal-watch.js';
import { RollbackStack } from './rollback-stack.js';
import { DEFAULT_PARALLEL, type RunOptions } from './run-options.js';
import { TeardownStack } from './teardown-stack.js';

/** Facts one stage leaves for the next. */
export interface RunState {
  phase: PhaseName;
  /** the fault window began: from here on a failure is no longer a refusal */
  injectedAny: boolean;
  /** run time at which reverting began (trip or planned end) */
  revertStartT?: number;
  /** the unwind a trip started, in the trip's own call stack */
  unwinding?: Promise<unknown>;
  /** why the run refused before touching anything */
  refused?: string;
  internalError?: string;
  safety?: RunSafety;
  /** the SSH fleet of `hosts:` targets, connected at prepare */
  fleet?: Fleet;
}

export interface RunContext {
  loaded: LoadedDrill;
  drill: Drill;
  options: RunOptions;
  environment: string;
  clock: Clock;
  logger: Logger;
  observer: Required<RunObserver>;
  rec: JournalRecorder;
  managed: ManagedTargets;
  proxies: ProxyTargets;
  rollback: RollbackStack;
  teardown: TeardownStack;
  /** aborted by any trip: ends phase waits early */
  stopRun: AbortController;
  scheduler: ProbeScheduler;
  killSwitch: KillSwitch;
  /** the drill's stop files plus the run's own, once the safety layer made it */
  stopFiles: string[];
  onOperator: () => void;
  state: RunState;
}

/** Builds a run's context; nothing is started yet. */
export function createRunContext(loaded: LoadedDrill, options: RunOptions): RunContext {
  const { drill } = loaded;
  const { clock } = options;
  const observer = combineObservers(options.observers ?? []);
  const environment = options.environment ?? '';
  // a run with a report folder streams its samples there (journal/sample-stream.ts): memory stays flat
  const sampleFile = options.reportDir === undefined ? undefined : join(options.reportDir, SAMPLE_STREAM_FILE);
  const rec = new JournalRecorder(loaded, { runId: options.runId, environment, seed: options.seed, ...(sampleFile ? { sampleFile } : {}) }, clock, observer);
  const rollback = new RollbackStack({ timeoutMs: drill.safety.undoTimeout, retries: drill.safety.undoRetries, clock, parallel: options.fleet?.parallel ?? DEFAULT_PARALLEL });
  const stopRun = new AbortController();
  const state: RunState = { phase: 'preflight', injectedAny: false };
  const stopFiles = [...options.stopFiles];
  const rehearsal = options.rehearse ? new RehearsalWatch(drill) : undefined;
  if (options.rehearse) rec.journal.rehearsal = { notInjected: [] };

  const onTrip = (trip: Trip): void => {
    const t = rec.toRunTime(trip.at);
    // the revert starts first: the unwind is under way before the trip is journaled or logged,
    // and the newest undo acts in the next microtask, once this synchronous bookkeeping is done
    const reverting = rollback.outstanding.length > 0;
    if (reverting) {
      state.revertStartT = rec.t();
      state.unwinding = rollback.unwindAll().then(() => {
        rec.journal.killSwitch.reactionMs = Math.round((rec.t() - t) * 10) / 10;
        mark(`every fault reverted (reactionMs ${rec.journal.killSwitch.reactionMs})`);
      });
      // the probes watch again once every fault is off; until then no check forks the runner
      scheduler.holdWhile(state.unwinding);
    }
    // no undo completes before this call returns, so the journal has the trip before any revert event
    rec.journal.killSwitch = { tripped: true, t, kind: trip.kind, condition: trip.condition, reason: trip.reason, ...(trip.samples ? { samples: trip.samples } : {}) };
    rec.event(trip.kind === 'operator' ? 'abort' : 'kill-switch', `${trip.kind === 'operator' ? 'operator abort' : 'kill switch tripped'}: ${trip.reason}`, { condition: trip.condition, kind: trip.kind }, state.phase);
    stopRun.abort(trip);
    const record = rec.journal.killSwitch;
    // with faults to revert, the live observers (progress line, metrics, control endpoint) hear it
    // once the revert is under way
    if (reverting) setImmediate(() => observer.onKillSwitch(record));
    else observer.onKillSwitch(record);
  };

  const scheduler = new ProbeScheduler({
    probes: drill.probes,
    run: options.probeRunner ?? runProbe,
    clock,
    runTime: (ms) => rec.toRunTime(ms),
    phase: () => state.phase,
    onSample: (sample) => {
      rec.sample(sample);
      killSwitch.observe(sample);
      const would = rehearsal?.observe(sample);
      if (would && rec.journal.rehearsal) {
        rec.journal.rehearsal.killSwitch = would;
        rec.event('kill-switch', `rehearsal: the kill switch would have tripped here: ${would.reason}`, { condition: would.condition, kind: would.kind, rehearsal: true }, state.phase);
      }
    },
  });
  // a rehearsal keeps the always-on guards (maxDuration, operator, stop files); the drill's own
  // conditions only record what they would have done (RehearsalWatch)
  const killSwitch = new KillSwitch({
    conditions: options.rehearse ? [] : drill.killSwitch,
    probes: options.rehearse ? {} : drill.probes,
    noDataIntervals: drill.safety.noDataIntervals,
    stopFiles,
    maxDurationMs: drill.blastRadius.maxDuration,
    clock,
    lastSampleAt: scheduler.lastSampleAt,
    onTrip,
  });
  const onOperator = () => killSwitch.trip('operator', 'operator abort', String(options.operatorSignal.reason ?? 'interrupted by the operator'));

  return {
    loaded,
    drill,
    options,
    environment,
    clock,
    logger: options.logger,
    observer,
    rec,
    managed: new ManagedTargets(),
    proxies: new ProxyTargets(),
    rollback,
    teardown: new TeardownStack(),
    stopRun,
    scheduler,
    killSwitch,
    stopFiles,
    onOperator,
    state,
  };
}

/** Starts a phase: the journal records it and new samples carry its name. */
export function startPhase(ctx: RunContext, name: PhaseName, plannedMs: number): PhaseRecord {
  ctx.state.phase = name;
  return ctx.rec.startPhase(name, plannedMs);
}
