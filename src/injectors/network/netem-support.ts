/**
 * Whether this kernel has netem (sch_netem), found out without touching anything real: the probe
 * qdisc goes on the loopback of a throwaway namespace (`unshare --net`) that vanishes with it.
 */
import { firstLine, run } from './ns-command.js';

export type NetemSupport = { available: true } | { available: false; reason: string } | { available: 'unknown'; reason: string };

let known: NetemSupport | undefined;

/** Asks the kernel once per process; an inconclusive answer (no unshare, no rights) is not cached. */
export async function netemSupport(signal: AbortSignal): Promise<NetemSupport> {
  if (known) return known;
  const r = await run('unshare', ['--net', '--', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], { signal });
  if (r.exitCode === 0) return (known = { available: true });
  const why = firstLine(r.stderr) || `exit ${r.exitCode}`;
  // tc's words when the qdisc kind is neither built in nor loadable as a module
  if (/qdisc kind is unknown/i.test(r.stderr)) return (known = { available: false, reason: why });
  return { available: 'unknown', reason: why };
}
