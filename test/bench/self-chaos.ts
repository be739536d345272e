/**
 * The self-chaos series on its own: 30 seeded runs SIGKILLed mid-fault, the dead-man switch alone
 * cleaning up. Prints the run count, the leftovers (must be 0) and how fast the dead-man switch
 * reverts after the runner dies.
 */
import { startHttpTarget } from '../support/http-target.js';
import { tempDir } from '../support/cli.js';
import { selfChaos } from '../support/self-chaos.js';
import { figure, percentile } from './_figure.js';

export default async function run(): Promise<void> {
  const state = tempDir('firedrill-bench-state-');
  const out = tempDir('firedrill-bench-out-');
  const target = await startHttpTarget();
  try {
    const r = await selfChaos({ runs: 30, seed: 1, mode: 'deadman', stateDir: state.dir, outDir: out.dir, target });
    for (const l of r.leftovers) console.error(`leftover: ${l}`);
    figure('self_chaos_runs', r.runs, 'runs');
    figure('self_chaos_leftovers', r.leftovers.length, 'leftovers');
    figure('deadman_revert_p50_ms', percentile(r.revertMs, 50), 'ms');
    figure('deadman_revert_p99_ms', percentile(r.revertMs, 99), 'ms');
  } finally {
    await target.stop();
    state.cleanup();
    out.cleanup();
  }
}
