/**
 * Self-chaos: the runner is SIGKILLed at a random moment of the fault window, over and over, and
 * nothing may be left behind. Required in CI (it needs nothing but Node and /proc).
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { useHttpTargetSuite } from '../support/http-target.js';
import { selfChaos } from '../support/self-chaos.js';

const suite = useHttpTargetSuite('firedrill-chaos');
const { state, out } = suite;

describe('self-chaos: SIGKILL the runner mid-fault', () => {
  it('the dead-man switch reverts every fault, 30 seeded runs, zero leftovers', async () => {
    const r = await selfChaos({ runs: 30, seed: 20261123, mode: 'deadman', stateDir: state.dir, outDir: out.dir, target: suite.target });
    console.log(`self-chaos (dead-man switch): ${r.runs} runs, ${r.leftovers.length} leftovers, revert after runner death max ${Math.round(Math.max(...r.revertMs))} ms`);
    expect(r.leftovers).toEqual([]);
    expect(r.runs).toBe(30);
    expect(r.revertMs).toHaveLength(30);
    // ~3 s a run on an idle machine; each run now also writes its crashed journal and AAR
  }, 420_000);

  it('ledger damaged at a random moment (truncated, torn, garbled, deleted), runner SIGKILLed: zero leftovers, every damaged run reported by recover with exit 5', async () => {
    const damageState = tempDir('firedrill-chaos-damage-');
    try {
      const r = await selfChaos({ runs: 5, seed: 20261204, mode: 'damage', stateDir: damageState.dir, outDir: out.dir, target: suite.target });
      console.log(`self-chaos (ledger damage): ${r.runs} runs, ${r.leftovers.length} leftovers\n  ${r.damage.join('\n  ')}`);
      expect(r.leftovers).toEqual([]);
      expect(r.runs).toBe(5);
      expect(r.damage).toHaveLength(5);
      expect(r.revertMs).toHaveLength(5);
    } finally {
      damageState.cleanup();
    }
  }, 240_000);

  it('firedrill recover reverts every fault when the watchdog is killed too, zero leftovers', async () => {
    const r = await selfChaos({ runs: 8, seed: 7, mode: 'recover', stateDir: state.dir, outDir: out.dir, target: suite.target });
    console.log(`self-chaos (recover): ${r.runs} runs, ${r.leftovers.length} leftovers`);
    expect(r.leftovers).toEqual([]);
    expect(r.runs).toBe(8);
  }, 180_000);
});
