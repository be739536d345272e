/**
 * The journal of a run before anything happened in it: the runner starts from it, and so does the
 * crash journal of a runner that died before it checkpointed. One body, so both stay one format.
 */
import { JOURNAL_VERSION } from './schema.js';
import type { Journal } from './types.js';

/** What is known about a run when it starts. */
export interface RunHead {
  runId: string;
  startedAt: string;
  toolVersion: string;
  hostname: string;
  environment: string;
  seed: number;
  drill: Journal['drill'];
  vars: Journal['vars'];
  /** the outcome until the run decides one */
  outcome: Journal['outcome'];
}

/** A journal with the run's head and nothing recorded yet. */
export function emptyRunRecord(head: RunHead): Journal {
  return {
    journalVersion: JOURNAL_VERSION,
    tool: { name: 'firedrill', version: head.toolVersion, node: process.version },
    runId: head.runId,
    startedAt: head.startedAt,
    host: { hostname: head.hostname, platform: `${process.platform}-${process.arch}` },
    environment: head.environment,
    seed: head.seed,
    drill: head.drill,
    vars: head.vars,
    targets: [],
    phases: [],
    faults: [],
    events: [],
    samples: [],
    killSwitch: { tripped: false },
    expectations: [],
    metrics: { timeToDetectMs: null, timeToRecoverMs: null, revertDurationMs: null },
    outcome: head.outcome,
  };
}
