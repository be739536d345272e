/** Turns a target's `ready:` block into the checks a start waits for (all of them must pass). */
import type { OutputBuffer } from '../output-buffer.js';
import type { ReadinessCheck } from './check.js';
import { httpCheck } from './http.js';
import { logCheck } from './log.js';
import { tcpCheck } from './tcp.js';

export type { ReadySpec } from '../schema.js';
import type { ReadySpec } from '../schema.js';

/** The checks named in `ready`; none means "ready once it stays alive briefly". Throws FD_DRILL_INVALID on a bad spec. */
export function readinessChecks(ready: ReadySpec | undefined, output: OutputBuffer): ReadinessCheck[] {
  if (!ready) return [];
  const checks: ReadinessCheck[] = [];
  if (ready.http !== undefined) checks.push(httpCheck(ready.http));
  if (ready.tcp !== undefined) checks.push(tcpCheck(ready.tcp));
  if (ready.log !== undefined) checks.push(logCheck(ready.log, output));
  return checks;
}
