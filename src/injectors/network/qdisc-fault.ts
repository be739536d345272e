/**
 * The tc faults (bandwidth, and latency/jitter/corruption where the kernel has netem): a root
 * qdisc with a handle the run owns, on each interface of the target's namespace. tc shapes what
 * leaves an interface, so these act on the packets the target sends.
 */
import type { z } from 'zod';
import { errorMessage, FiredrillError, type ErrorCode } from '../../errors.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { failedAction } from './failed-action.js';
import { locateNetns } from './netns.js';
import { describeTargets, NETWORK_TARGETS, networkPreflight, targetNamespaces, type TargetNetns } from './network-preflight.js';
import { qdiscHandle } from './owned-names.js';
import { DEFAULT_ROOT_QDISCS, listInterfaces, replaceRootQdisc, rootQdisc, type QdiscSpec } from './qdisc.js';
import { qdiscUndo, qdiscUndoKind, undoNetwork } from './undo-recipe.js';
import { remoteQdiscActions, remoteQdiscPreflight } from './remote-qdisc.js';
import type { BandwidthFault, CorruptFault, JitterFault, LatencyFault } from './schema.js';

export type QdiscFault = BandwidthFault | LatencyFault | JitterFault | CorruptFault;

export interface QdiscFaultKind<F extends QdiscFault> {
  type: F['type'];
  schema: z.ZodType<F>;
  example: unknown;
  spec(fault: F): QdiscSpec;
  /** `limit to 1 mbit/s`: the start of the label */
  describe(fault: F): string;
  /** checked before anything else (netem support); a problem here refuses the run */
  precondition?(ctx: InjectorContext<F>): Promise<string[]>;
}

/** The injector for one tc fault kind. */
export function qdiscInjector<F extends QdiscFault>(kind: QdiscFaultKind<F>): Injector<F> {
  return {
    type: kind.type,
    schema: kind.schema,
    example: kind.example,
    // hosts: the same qdisc on a remote host, through its executor (remote-qdisc.ts)
    targets: [...NETWORK_TARGETS, 'hosts'],
    describe: (fault) => `${kind.describe(fault)} on ${fault.interface ?? 'every interface but loopback'} of the target's network namespace (tc ${kind.spec(fault).kind}); the qdisc is deleted on revert`,
    undo: [qdiscUndoKind],
    async preflight(ctx) {
      // the host's own kernel and tools decide there, not this machine's
      if (ctx.instances.some((i) => i.host !== undefined)) return remoteQdiscPreflight(ctx, kind.spec(ctx.fault));
      const pre = (await kind.precondition?.(ctx)) ?? [];
      const { problems, namespaces } = await networkPreflight(ctx, ['tc', 'ip']);
      if (pre.length > 0 || problems.length > 0) return [...pre, ...problems];
      for (const ns of namespaces) {
        try {
          const devices = await devicesOf(ctx.fault, ns, ctx.signal);
          if (devices.length === 0) problems.push(`the network namespace of ${describeTargets(ctx.fault.target, ns)} has no interface besides loopback`);
          for (const device of devices) {
            const problem = await replaceable(ns.path, device, qdiscHandle(ctx.runId, faultName(ctx.fault), device), ctx.signal);
            if (problem !== undefined) problems.push(`${problem} (in ${describeTargets(ctx.fault.target, ns)})`);
          }
        } catch (e) {
          problems.push(errorMessage(e));
        }
      }
      return problems;
    },
    async plan(ctx: InjectorContext<F>): Promise<FaultAction[]> {
      if (ctx.instances.some((i) => i.host !== undefined)) return remoteQdiscActions(ctx, kind.spec(ctx.fault), kind.describe(ctx.fault));
      const { namespaces, problems } = await targetNamespaces(ctx.instances);
      const actions: FaultAction[] = [];
      for (const ns of namespaces) {
        try {
          for (const device of await devicesOf(ctx.fault, ns, ctx.signal)) actions.push(qdiscAction(ctx, kind, ns, device));
        } catch (e) {
          problems.push(errorMessage(e));
        }
      }
      if (problems.length > 0) actions.push(failedAction(ctx.fault.type, problems.join('; ')));
      return actions;
    },
  };
}

function faultName(fault: QdiscFault): string {
  return fault.id ?? fault.type;
}

async function devicesOf(fault: QdiscFault, ns: TargetNetns, signal: AbortSignal): Promise<string[]> {
  return fault.interface !== undefined ? [fault.interface] : listInterfaces(ns.path, signal);
}

/** Why the root qdisc of `device` must not be replaced, or undefined when it may. */
async function replaceable(nsPath: string, device: string, handle: string, signal: AbortSignal, code: ErrorCode = 'FD_PREFLIGHT_FAILED'): Promise<string | undefined> {
  const root = await rootQdisc(nsPath, device, signal, code);
  if (!root) return `there is no interface ${device}`;
  if (root.handle === handle || DEFAULT_ROOT_QDISCS.includes(root.kind)) return undefined;
  return `${device} already has a ${root.kind} root qdisc (${root.handle}) that firedrill did not put there; it would be lost on revert, so remove it first or pick another interface`;
}

function qdiscAction<F extends QdiscFault>(ctx: InjectorContext<F>, kind: QdiscFaultKind<F>, ns: TargetNetns, device: string): FaultAction {
  const spec = kind.spec(ctx.fault);
  const handle = qdiscHandle(ctx.runId, faultName(ctx.fault), device);
  const undoRecipe = qdiscUndo(ns.ref, device, handle, spec.kind);
  const where = describeTargets(ctx.fault.target, ns);
  return {
    label: `${kind.describe(ctx.fault)} on ${device} (${spec.kind} ${handle}), in the network namespace of ${where}`,
    instance: ns.instances[0],
    undoRecipe,
    async apply(signal) {
      const path = await locateNetns(ns.ref);
      if (path === undefined) throw new FiredrillError('FD_INJECT_FAILED', `the network namespace of ${where} no longer exists`, { inode: ns.ref.inode });
      // someone may have configured the interface since preflight: never replace what is not ours
      const problem = await replaceable(path, device, handle, signal, 'FD_INJECT_FAILED');
      if (problem !== undefined) throw new FiredrillError('FD_INJECT_FAILED', problem, { device });
      await replaceRootQdisc(path, device, handle, spec, signal);
    },
    async revert(signal) {
      await undoNetwork(undoRecipe, signal);
    },
  };
}
