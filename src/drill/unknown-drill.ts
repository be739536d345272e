/**
 * The drill of a run whose drill is not known: a runner that died before it checkpointed its
 * journal leaves only its name in the fault ledger. A valid, empty drill (no targets, faults or
 * probes), so the crash journal's readers need no special case and no cast.
 */
import type { Drill } from './schema.js';

/** An empty drill named `name`. */
export function unknownDrill(name: string): Drill {
  return {
    apiVersion: 'firedrill/v1',
    name,
    environments: [],
    productionEnvironments: [],
    vars: {},
    premortem: [],
    participants: [],
    links: [],
    targets: {},
    blastRadius: { target: [], select: { mode: 'count', pick: 'first' }, hosts: { mode: 'count', pick: 'first' }, maxTargets: 0, maxDuration: 0 },
    faults: [],
    probes: {},
    phases: { preflight: 0, baseline: 0, recovery: 0 },
    expect: { baseline: [], fault: [], recovery: [] },
    killSwitch: [],
    safety: { noDataIntervals: 0, undoTimeout: 0, undoRetries: 0 },
  };
}
