/**
 * `--pushgateway URL`: pushes a finished run's results (result-metrics.ts) with prom-client's
 * Pushgateway client, grouped by drill and environment. PUT replaces the group, so a verdict from
 * an earlier run never lingers next to the new one.
 */
import { Pushgateway } from 'prom-client';
import { errorMessage } from '../errors.js';
import type { Journal } from '../journal/types.js';
import { resultRegistry } from './result-metrics.js';

export const PUSH_JOB = 'firedrill';

export type PushOutcome = { ok: true; group: string } | { ok: false; error: string };

/**
 * The grouping key: drill and (when set) environment. A `/` cannot travel in a Pushgateway path
 * without base64 encoding, which prom-client does not do, so it becomes `_`.
 */
export function pushGroupings(journal: Journal): Record<string, string> {
  const clean = (v: string): string => v.replaceAll('/', '_');
  return { drill: clean(journal.drill.name), ...(journal.environment ? { environment: clean(journal.environment) } : {}) };
}

/** Pushes the run's results; never throws (a push is a report, not part of the drill). */
export async function pushRunResult(url: string, journal: Journal, options: { timeoutMs?: number } = {}): Promise<PushOutcome> {
  const groupings = pushGroupings(journal);
  try {
    const gateway = new Pushgateway(url, { timeout: options.timeoutMs ?? 5000 }, resultRegistry(journal));
    await gateway.push({ jobName: PUSH_JOB, groupings });
    return { ok: true, group: Object.entries({ job: PUSH_JOB, ...groupings }).map(([k, v]) => `${k}=${v}`).join(',') };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
