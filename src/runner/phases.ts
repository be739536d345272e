/**
 * Stage 2, phases: preflight (the steady state must hold before anything is touched), baseline,
 * the fault window, and recovery. A trip ends the current phase early; the revert it started
 * runs on the rollback stack, not here.
 */
import { samplesOfPhase } from '../journal/sample-phase.js';
import { sleepUnlessAborted } from '../clock/clock.js';
import { formatDurationMs } from '../drill/duration.js';
import { faultWindowMs } from '../drill/rules/timing.js';
import { FiredrillError } from '../errors.js';
import type { PhaseRecord } from '../journal/types.js';
import type { KillSwitchKind } from '../journal/types.js';
import type { Prepared } from './prepare.js';
import { defaultTargetPreparation } from './prepare.js';
import { startPhase, type RunContext } from './run-context.js';
import { checkSteadyState } from './steady-state.js';

/** Trips after which the recovery phase is still watched: the system was hurt, not the operator out of patience. */
const WATCH_RECOVERY_AFTER: ReadonlySet<KillSwitchKind> = new Set(['probe', 'no-data', 'metrics-unreachable', 'inject-failed']);
/** Trips in the preflight phase that mean the steady state does not hold. */
const UNSTEADY: ReadonlySet<KillSwitchKind> = new Set(['probe', 'no-data', 'metrics-unreachable']);

export async function runPhases(ctx: RunContext, prepared: Prepared): Promise<void> {
  const { drill, options, rec, killSwitch, scheduler, clock } = ctx;
  const waitPhase = async (record: PhaseRecord): Promise<boolean> => {
    const full = await sleepUnlessAborted(clock, record.plannedMs, ctx.stopRun.signal);
    rec.endPhase(record);
    return full;
  };

  // preflight: the system must be steady before anything is touched. The phase opens before the
  // first check starts, so that check counts in it (a sample's phase is where its check started)
  const preflight = startPhase(ctx, 'preflight', drill.phases.preflight);
  scheduler.start();
  killSwitch.armProbes();
  await waitPhase(preflight);
  if (killSwitch.tripped) {
    if (UNSTEADY.has(killSwitch.tripped.kind)) {
      throw new FiredrillError('FD_STEADY_STATE_FAILED', `steady state does not hold: ${killSwitch.tripped.reason}`);
    }
  } else {
    const steady = checkSteadyState(drill, samplesOfPhase(rec.samples(), rec.journal.phases, 'preflight'));
    rec.event('preflight', steady.holds ? 'steady state holds' : `steady state does not hold: ${steady.summary}`, { problems: steady.problems }, 'preflight');
    if (!steady.holds) throw new FiredrillError('FD_STEADY_STATE_FAILED', `steady state does not hold: ${steady.summary}`);
    await waitPhase(startPhase(ctx, 'baseline', drill.phases.baseline));
  }

  if (!killSwitch.tripped) {
    // targets can change between plan and inject: make sure the chosen ones are still the same processes
    const targetPrep = options.targets ?? defaultTargetPreparation;
    await targetPrep.recheck(drill, ctx.managed, prepared.targets, { seed: options.seed, signal: ctx.stopRun.signal, baseDir: options.baseDir, proxies: ctx.proxies, ...(ctx.state.fleet ? { fleet: ctx.state.fleet } : {}) });
    const window = startPhase(ctx, 'fault', faultWindowMs(drill));
    // what the runner knows so far, for the report of a run whose runner dies in the window
    ctx.state.safety?.checkpoint(rec.journal);
    if (options.rehearse) {
      // the planned fault window passes with every probe watching; nothing is touched
      for (const f of drill.faults) {
        const label = `${f.type} on ${f.target} for ${formatDurationMs(f.duration)}${f.startAfter ? ` after ${formatDurationMs(f.startAfter)}` : ''}`;
        rec.journal.rehearsal?.notInjected.push(label);
        rec.event('rehearsal', `rehearsal: not injected: ${label}`, { type: f.type, target: f.target }, 'fault');
      }
      await waitPhase(window);
    } else {
      ctx.state.injectedAny = true;
      await prepared.faultWindow.run();
      rec.endPhase(window);
    }
  }

  const trip = killSwitch.tripped;
  if (ctx.state.unwinding) await ctx.state.unwinding;
  // observe recovery after a planned end or a kill-switch condition; an operator wants out now
  if ((ctx.state.injectedAny || options.rehearse) && (!trip || WATCH_RECOVERY_AFTER.has(trip.kind))) {
    const recovery = startPhase(ctx, 'recovery', drill.phases.recovery);
    await sleepUnlessAborted(clock, recovery.plannedMs, trip ? options.operatorSignal : ctx.stopRun.signal);
    rec.endPhase(recovery);
  }
}
