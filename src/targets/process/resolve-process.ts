/** Resolves `process:` targets (match, pidFile, port, pid) into the processes running right now. */
import { readFile } from 'node:fs/promises';
import { FiredrillError } from '../../errors.js';
import type { ResolveContext, Resolution } from '../contract.js';
import { toInstance } from '../instance.js';
import { compileRegex, isRegexLiteral } from '../regex-literal.js';
import { excludedPids, listProcesses, whyNotTargetable, type ProcessInfo } from './candidates.js';
import { pidsListeningOn } from './listeners.js';
import { ownProcessRoots } from './own-processes.js';

export type { ProcessSelector } from './schema.js';
import type { ProcessSelector } from './schema.js';

interface Found {
  procs: ProcessInfo[];
  resolvedBy: string;
}

/**
 * The processes the selector names, sorted by pid. Finding none is not an error here: the caller
 * decides (the plan shows it, the run refuses); `resolvedBy` then says what was looked for and why
 * nothing qualified.
 */
export async function resolveProcess(spec: ProcessSelector, ctx: ResolveContext): Promise<Resolution> {
  ctx.signal.throwIfAborted();
  const all = await listProcesses();
  ctx.signal.throwIfAborted();
  // firedrill's own processes, of this run or any other (runners, watchdogs, proxy hosts, stress workers)
  const excluded = excludedPids(all, new Set([...ctx.protectedPids, ...(await ownProcessRoots(all))]), process.pid);
  const eligible = all.filter((p) => whyNotTargetable(p, excluded) === undefined);

  let found: Found;
  if (spec.match !== undefined) found = byMatch(spec.match, eligible);
  else if (spec.port !== undefined) found = await byPort(spec.port, eligible);
  else if (spec.pid !== undefined) found = byPid(spec.pid, `pid ${spec.pid}`, all, excluded);
  else if (spec.pidFile !== undefined) found = await byPidFile(spec.pidFile, all, excluded);
  else throw new FiredrillError('FD_DRILL_INVALID', 'a process target names one of match, pidFile, port or pid');
  ctx.signal.throwIfAborted();

  return {
    instances: found.procs.map((p) => toInstance({ id: String(p.pid), pid: p.pid, startTime: p.startTime, cmdline: p.cmdline, managed: false })),
    resolvedBy: found.resolvedBy,
  };
}

function byMatch(match: string, eligible: ProcessInfo[]): Found {
  if (isRegexLiteral(match)) {
    const re = compileRegex(match, 'process.match');
    return { procs: eligible.filter((p) => re.test(p.cmdline)), resolvedBy: `command line matches ${match}` };
  }
  return { procs: eligible.filter((p) => p.cmdline.includes(match)), resolvedBy: `command line matches "${match}"` };
}

async function byPort(port: number, eligible: ProcessInfo[]): Promise<Found> {
  const pids = new Set(await pidsListeningOn(port, eligible.map((p) => p.pid)));
  return { procs: eligible.filter((p) => pids.has(p.pid)), resolvedBy: `listening on TCP port ${port}` };
}

function byPid(pid: number, label: string, all: ProcessInfo[], excluded: ReadonlySet<number>): Found {
  const p = all.find((q) => q.pid === pid);
  if (!p) return { procs: [], resolvedBy: `${label} (not running)` };
  const why = whyNotTargetable(p, excluded);
  return why ? { procs: [], resolvedBy: `${label} (refused: ${why})` } : { procs: [p], resolvedBy: label };
}

async function byPidFile(path: string, all: ProcessInfo[], excluded: ReadonlySet<number>): Promise<Found> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
    return { procs: [], resolvedBy: `pid file ${path} (cannot be read: ${code})` };
  }
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
    return { procs: [], resolvedBy: `pid file ${path} (does not hold a pid: ${JSON.stringify(trimmed.slice(0, 40))})` };
  }
  return byPid(Number(trimmed), `pid ${trimmed} from ${path}`, all, excluded);
}
