/**
 * Runs one drill in four stages: prepare (environment guard, safety layer, targets, preflight,
 * confirmation) → phases (steady state, baseline, fault window, recovery) → teardown → judge.
 * Whatever happens — success, kill switch, Ctrl-C, maxDuration, a stop file, an exception — the
 * teardown stack reverts every registered undo before anything else is stopped, and this returns
 * a journal.
 */
import type { LoadedDrill } from '../drill/load.js';
import { errorMessage, isFiredrillError, type ErrorCode } from '../errors.js';
import type { Journal } from '../journal/types.js';
import { runPhases } from './phases.js';
import { prepare } from './prepare.js';
import { judge } from './judge.js';
import { createRunContext, type RunContext } from './run-context.js';
import type { RunOptions } from './run-options.js';
import { teardown } from './teardown.js';

export type { PlanSummary, RunOptions, TargetPreparation } from './run-options.js';

/** Errors that refuse the run when they come before anything was injected. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'FD_ENV_REFUSED',
  'FD_TARGET_NOT_FOUND',
  'FD_BLAST_RADIUS_EXCEEDED',
  'FD_STEADY_STATE_FAILED',
  'FD_PREFLIGHT_FAILED',
  'FD_NOT_CONFIRMED',
  'FD_TARGET_START_FAILED',
  'FD_TARGET_LOCKED',
  'FD_EMERGENCY_STOP',
  'FD_HOST_UNREACHABLE',
  'FD_HOST_KEY_REFUSED',
  'FD_INVENTORY_INVALID',
]);

/** Runs the drill and returns its journal; never throws for a drill-level failure. */
export async function runDrill(loaded: LoadedDrill, options: RunOptions): Promise<Journal> {
  const ctx = createRunContext(loaded, options);
  options.operatorSignal.addEventListener('abort', ctx.onOperator, { once: true });
  const rehearse = Boolean(options.rehearse);
  ctx.rec.event(
    'run-start',
    `${rehearse ? 'rehearsal of ' : ''}drill ${ctx.drill.name} started in ${ctx.environment || '(no environment)'}${rehearse ? ': nothing will be injected' : ''}`,
    { seed: options.seed, ...(rehearse ? { rehearsal: true } : {}) },
  );
  const unsubscribeNotes = options.notes?.subscribe((note) => {
    ctx.rec.event('note', `${note.author}: ${note.text}`, { author: note.author, source: note.source, text: note.text }, ctx.state.phase);
  });
  try {
    const prepared = await prepare(ctx);
    await runPhases(ctx, prepared);
  } catch (e) {
    recordFailure(ctx, e);
  } finally {
    unsubscribeNotes?.();
    await teardown(ctx);
  }
  return judge(ctx);
}

/** A refusal before anything was injected, the trip's own abort (not a failure), or an internal error. */
function recordFailure(ctx: RunContext, e: unknown): void {
  const { rec, state } = ctx;
  if (isFiredrillError(e) && REFUSALS.has(e.code) && !state.injectedAny) {
    state.refused = e.message;
    // the hosts that refused (unreachable, key refused), for the report's per-host section
    const hosts = Array.isArray(e.details.hosts) ? { hosts: e.details.hosts as unknown[] } : {};
    rec.event('preflight', `refused: ${e.message}`, { code: e.code, ...hosts }, state.phase);
  } else if (!(ctx.stopRun.signal.aborted && e === ctx.stopRun.signal.reason)) {
    state.internalError = errorMessage(e);
    ctx.logger.error({ err: e }, 'internal error during the run; reverting');
    rec.event('warning', `internal error: ${state.internalError}`, undefined, state.phase);
  }
}
