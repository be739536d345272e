/**
 * The self-chaos series on its own: 30 seeded runs SIGKILLed mid-fault, the dead-man switch alone
 * cleaning up, then 20 more with the fault ledger damaged (truncated, torn, garbled, deleted) at a
 * random moment first. Prints the run counts, the leftovers (must be 0; a damaged run that
 * `recover` does not report with exit 5 counts as one) and how fast the dead-man switch reverts.
 */
import { startHttpTarget } from '../support/http-target.js';
import { tempDir } from '../support/cli.js';
import { selfChaos } from '../support/self-chaos.js';
import { figure, percentile } from './_figure.js';
import { more, noteCut, suiteBudgetS } from './_budget.js';

export default async function run(): Promise<void> {
  const state = tempDir('firedrill-bench-state-');
  const out = tempDir('firedrill-bench-out-');
  const damageState = tempDir('firedrill-bench-damage-');
  const target = await startHttpTarget();
  try {
    // under `all` the suite's budget sets the run counts: the first series keeps 35 % for the second
    const t0 = performance.now();
    const r = await selfChaos({ runs: 30, seed: 1, mode: 'deadman', stateDir: state.dir, outDir: out.dir, target, more: (done) => more(done, 8, t0, suiteBudgetS * 350) });
    noteCut('self-chaos dead-man series', r.runs, 30);
    for (const l of r.leftovers) console.error(`leftover: ${l}`);
    figure('self_chaos_runs', r.runs, 'runs');
    figure('self_chaos_leftovers', r.leftovers.length, 'leftovers');
    figure('deadman_revert_p50_ms', percentile(r.revertMs, 50), 'ms');
    figure('deadman_revert_p99_ms', percentile(r.revertMs, 99), 'ms');
    // the same, with the ledger damaged at a random moment before the runner dies
    const t1 = performance.now();
    const d = await selfChaos({ runs: 20, seed: 2, mode: 'damage', stateDir: damageState.dir, outDir: out.dir, target, more: (done) => more(done, 5, t1) });
    noteCut('self-chaos ledger-damage series', d.runs, 20);
    for (const l of d.leftovers) console.error(`leftover (ledger damage): ${l}`);
    figure('ledger_damage_runs', d.runs, 'runs');
    figure('ledger_damage_leftovers', d.leftovers.length, 'leftovers');
  } finally {
    await target.stop();
    state.cleanup();
    damageState.cleanup();
    out.cleanup();
  }
}
