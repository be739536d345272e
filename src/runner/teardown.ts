/**
 * Stage 3, teardown: runs on the main path and on every failure path. The guards stop first (no
 * trip may start during teardown), then the teardown stack runs newest first: every fault still in
 * place is reverted while the probes still watch and the targets still run, then the probes stop,
 * then the runner's own targets, then the fault ledger closes.
 */
import type { RunContext } from './run-context.js';

/** Registers the run's cleanups before the first of the things they clean up exists. */
export function deferRunCleanups(ctx: RunContext): void {
  ctx.teardown.defer('stop runner-managed targets', () => stopTargets(ctx));
  ctx.teardown.defer('stop the probes', () => ctx.scheduler.stop());
  ctx.teardown.defer('revert every fault still in place', async () => {
    await revertAll(ctx);
    ctx.options.onReverted?.();
  });
}

export async function teardown(ctx: RunContext): Promise<void> {
  ctx.options.operatorSignal.removeEventListener('abort', ctx.onOperator);
  ctx.killSwitch.stop();
  const failures = await ctx.teardown.disposeAll();
  for (const failure of failures) {
    ctx.logger.error({ step: failure.label, error: failure.error }, 'teardown step failed');
    ctx.rec.event('warning', `teardown step "${failure.label}" failed: ${failure.error}`, { step: failure.label });
    ctx.state.internalError ??= `teardown step "${failure.label}" failed: ${failure.error}`;
  }
}

/** Reverts whatever is still registered, and waits for an unwind a trip already started. */
async function revertAll(ctx: RunContext): Promise<void> {
  if (ctx.rollback.outstanding.length > 0) {
    ctx.state.revertStartT ??= ctx.rec.t();
    await ctx.rollback.unwindAll();
  }
  if (ctx.state.unwinding) await ctx.state.unwinding;
}

/** Reads the proxies' counters into the journal, then stops proxies and runner-started processes. */
async function stopTargets(ctx: RunContext): Promise<void> {
  const { rec } = ctx;
  // the proxies' own counters go into the journal before they stop
  const proxyStats = await ctx.proxies.stats();
  if (proxyStats.length > 0) rec.journal.proxies = proxyStats;
  const stoppedProxies = await ctx.proxies.stopAll();
  const stoppedProcesses = await ctx.managed.stopAll();
  for (const name of [...stoppedProxies.stopped, ...stoppedProcesses.stopped]) {
    ctx.state.safety?.done(`target:${name}`);
    rec.event('target-stopped', `stopped ${name}`, { target: name });
  }
  for (const failure of [...stoppedProxies.failed, ...stoppedProcesses.failed]) {
    rec.event('warning', `could not stop ${failure.name}: ${failure.error}`, { target: failure.name });
  }
}
