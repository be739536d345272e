/** Each fault as it happened: when it went in, how long it stayed, how its revert went. */
import type { FaultRecord, Journal } from '../../journal/types.js';
import type { FaultFacts } from './model.js';

/** One row per fault record, in the order the runner recorded them. */
export function faultFacts(journal: Journal): FaultFacts[] {
  return journal.faults.map(toFacts);
}

/** When the first fault went in; undefined when none did. */
export function firstInjectedT(journal: Journal): number | undefined {
  const ts = journal.faults.flatMap((f) => (f.injectedT === undefined ? [] : [f.injectedT]));
  return ts.length === 0 ? undefined : Math.min(...ts);
}

/** When the last fault was reverted; undefined when none was. */
export function lastRevertedT(journal: Journal): number | undefined {
  const ts = journal.faults.flatMap((f) => (f.revertedT === undefined ? [] : [f.revertedT]));
  return ts.length === 0 ? undefined : Math.max(...ts);
}

/** Faults that went in and are not known to be out again. */
export function unrevertedFaults(journal: Journal): FaultRecord[] {
  return journal.faults.filter((f) => f.status === 'revert-failed' || (f.status === 'injected' && f.revertedT === undefined));
}

function toFacts(f: FaultRecord): FaultFacts {
  const facts: FaultFacts = {
    id: f.id,
    faultId: f.faultId,
    type: f.type,
    target: f.target,
    label: f.label,
    status: f.status,
    revertAttempts: f.revertAttempts,
  };
  if (f.instance) facts.pid = f.instance.pid;
  if (f.injectedT !== undefined) facts.injectedT = f.injectedT;
  if (f.revertedT !== undefined) facts.revertedT = f.revertedT;
  if (f.injectedT !== undefined && f.revertedT !== undefined) facts.inPlaceMs = f.revertedT - f.injectedT;
  if (f.revertStartT !== undefined && f.revertedT !== undefined) facts.revertMs = f.revertedT - f.revertStartT;
  if (f.error !== undefined) facts.error = f.error;
  return facts;
}
