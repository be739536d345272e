/**
 * The root qdisc a bandwidth or netem fault puts on an interface inside the target's namespace.
 * Ours carries a handle derived from the run (owned-names.ts); revert deletes the root qdisc only
 * while it still has that handle, which brings back the kernel's default, and leaves anything
 * someone else put there alone.
 */
import { FiredrillError, type ErrorCode } from '../../errors.js';
import { exemptTreeBatch } from './exempt-qdisc.js';
import type { ExemptFlow } from './nft-rules.js';
import { firstLine, inNetns, type NsCommandResult } from './ns-command.js';

/**
 * Where tc and ip run: a namespace path on this machine (`/proc/1234/ns/net`), or a runner that
 * takes the argv somewhere else (a remote host's namespace through its executor, remote-qdisc.ts).
 */
export type NetWhere = string | ((argv: readonly string[], options: { signal: AbortSignal; input?: string }) => Promise<NsCommandResult>);

function inNs(where: NetWhere, argv: readonly string[], options: { signal: AbortSignal; input?: string }): Promise<NsCommandResult> {
  return typeof where === 'string' ? inNetns(where, argv, options) : where(argv, options);
}

/** Root qdiscs the kernel (or a distribution's defaults) sets up: replacing and deleting them loses nothing. */
export const DEFAULT_ROOT_QDISCS: readonly string[] = ['noqueue', 'pfifo_fast', 'fq_codel', 'mq', 'fq', 'pfifo', 'noop'];

export interface RootQdisc {
  kind: string;
  /** `8001:`, `0:` */
  handle: string;
}

/** What to put on the interface: tc's words after `root handle H:`. */
export type QdiscSpec =
  | { kind: 'tbf'; rateBits: number; burstBytes: number; latencyMs: number }
  | { kind: 'netem'; delayMs?: number; jitterMs?: number; corruptShare?: number };

/** tc's arguments for `spec`, e.g. `tbf rate 1000000bit burst 16384 latency 50ms`. */
export function qdiscArgs(spec: QdiscSpec): string[] {
  if (spec.kind === 'tbf') return ['tbf', 'rate', `${spec.rateBits}bit`, 'burst', String(spec.burstBytes), 'latency', `${spec.latencyMs}ms`];
  const args = ['netem'];
  if (spec.delayMs !== undefined) args.push('delay', `${spec.delayMs}ms`, ...(spec.jitterMs ? [`${spec.jitterMs}ms`] : []));
  if (spec.corruptShare !== undefined) args.push('corrupt', `${Number((spec.corruptShare * 100).toPrecision(6))}%`);
  return args;
}

/** tbf's default burst: 20 ms at the rate, at least 16 KiB (several full packets, so TCP keeps flowing). */
export function defaultBurstBytes(rateBits: number): number {
  return Math.max(16 * 1024, Math.ceil((rateBits / 8) * 0.02));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function parseJsonArray(text: string): unknown[] {
  try {
    const v: unknown = JSON.parse(text || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** The interfaces of the namespace that traffic leaves through: every link but loopback. */
export async function listInterfaces(nsPath: NetWhere, signal: AbortSignal, code: ErrorCode = 'FD_PREFLIGHT_FAILED'): Promise<string[]> {
  const r = await inNs(nsPath, ['ip', '-j', 'link', 'show'], { signal });
  if (r.exitCode !== 0) throw new FiredrillError(code, `ip link show failed: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`);
  return parseJsonArray(r.stdout)
    .filter(isRecord)
    .filter((l) => typeof l.ifname === 'string' && l.link_type !== 'loopback')
    .map((l) => l.ifname as string);
}

/** The root qdisc of `device`, or undefined when the device does not exist. */
export async function rootQdisc(nsPath: NetWhere, device: string, signal: AbortSignal, code: ErrorCode = 'FD_PREFLIGHT_FAILED'): Promise<RootQdisc | undefined> {
  const r = await inNs(nsPath, ['tc', '-j', 'qdisc', 'show', 'dev', device, 'root'], { signal });
  if (r.exitCode !== 0) {
    if (/Cannot find device|does not exist/i.test(r.stderr)) return undefined;
    throw new FiredrillError(code, `tc qdisc show dev ${device} failed: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`);
  }
  const root = parseJsonArray(r.stdout).filter(isRecord).find((q) => q.root === true) ?? parseJsonArray(r.stdout).filter(isRecord)[0];
  if (!root || typeof root.kind !== 'string') return { kind: 'noqueue', handle: '0:' };
  return { kind: root.kind, handle: typeof root.handle === 'string' ? root.handle : '0:' };
}

/**
 * Puts `spec` as the root qdisc of `device` with our handle (replacing the default one). With
 * flows to `exempt`, the root is an htb tree that sends them past the fault (exempt-qdisc.ts); a
 * tree that went on only in part is deleted again before the error is thrown.
 */
export async function replaceRootQdisc(nsPath: NetWhere, device: string, handle: string, spec: QdiscSpec, signal: AbortSignal, options: { code?: ErrorCode; exempt?: readonly ExemptFlow[] } = {}): Promise<void> {
  const code = options.code ?? 'FD_INJECT_FAILED';
  const exempt = options.exempt ?? [];
  if (exempt.length === 0) {
    const r = await inNs(nsPath, ['tc', 'qdisc', 'replace', 'dev', device, 'root', 'handle', handle, ...qdiscArgs(spec)], { signal });
    if (r.exitCode !== 0) throw new FiredrillError(code, `tc refused the ${spec.kind} qdisc on ${device}: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { device, stderr: r.stderr });
    return;
  }
  const r = await inNs(nsPath, ['tc', '-batch', '-'], { signal, input: exemptTreeBatch(device, handle, qdiscArgs(spec), exempt) });
  if (r.exitCode === 0) return;
  await deleteRootQdiscIfOurs(nsPath, device, handle, signal).catch(() => undefined);
  throw new FiredrillError(code, `tc refused the ${spec.kind} qdisc (under an htb root that exempts the runner's SSH connection) on ${device}: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { device, stderr: r.stderr });
}

/**
 * Deletes the root qdisc of `device` if it is still ours (`handle`): the kernel puts its default
 * back. `absent` when the device is gone or the qdisc is no longer ours (nothing of ours is left).
 */
export async function deleteRootQdiscIfOurs(nsPath: NetWhere, device: string, handle: string, signal: AbortSignal): Promise<'deleted' | 'absent'> {
  const root = await rootQdisc(nsPath, device, signal, 'FD_REVERT_FAILED');
  if (!root || root.handle !== handle) return 'absent';
  const r = await inNs(nsPath, ['tc', 'qdisc', 'del', 'dev', device, 'root', 'handle', handle], { signal });
  if (r.exitCode === 0) return 'deleted';
  const after = await rootQdisc(nsPath, device, signal, 'FD_REVERT_FAILED');
  if (!after || after.handle !== handle) return 'absent';
  throw new FiredrillError('FD_REVERT_FAILED', `tc could not delete the ${root.kind} qdisc on ${device}: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { device, stderr: r.stderr });
}
