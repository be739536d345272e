/** Waits for a freshly spawned process to become ready, to exit, to time out, or for the caller to give up. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadinessCheck } from './readiness/check.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type ReadyOutcome =
  | { kind: 'ready' }
  | ({ kind: 'exited' } & ExitInfo)
  /** `pending`: the checks that had not passed, each with its last problem */
  | { kind: 'timeout'; pending: string[] }
  | { kind: 'aborted' };

export interface AwaitReadyOptions {
  checks: readonly ReadinessCheck[];
  exited: Promise<ExitInfo>;
  timeoutMs: number;
  /** it must also stay alive this long: a crash right after binding (or a port answered by someone else) is not ready */
  minAliveMs: number;
  signal: AbortSignal;
}

/** Resolves with what happened first; never rejects for those four outcomes. */
export async function awaitReady(o: AwaitReadyOptions): Promise<ReadyOutcome> {
  const settled = new AbortController();
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const waitSignal = AbortSignal.any([o.signal, timeout, settled.signal]);
  const passed = new Set<ReadinessCheck>();
  const ready = Promise.all([
    ...o.checks.map((c) => c.wait(waitSignal).then(() => passed.add(c))),
    sleep(o.minAliveMs, undefined, { signal: waitSignal }),
  ]).then(
    (): ReadyOutcome => ({ kind: 'ready' }),
    (e: unknown): ReadyOutcome => {
      if (o.signal.aborted) return { kind: 'aborted' };
      if (waitSignal.aborted) {
        const pending = o.checks.filter((c) => !passed.has(c)).map((c) => `${c.label}: ${c.lastProblem() ?? 'no answer yet'}`);
        return { kind: 'timeout', pending };
      }
      throw e;
    },
  );
  const exited = o.exited.then((info): ReadyOutcome => ({ kind: 'exited', ...info }));
  try {
    return await Promise.race([ready, exited]);
  } finally {
    settled.abort();
  }
}
