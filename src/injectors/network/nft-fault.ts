/**
 * Partition and loss, the nftables faults: one table per run, fault and namespace holds every rule
 * (owned-names.ts), loaded in one transaction and deleted whole on revert.
 */
import type { z } from 'zod';
import { FiredrillError } from '../../errors.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { NETWORK_TARGETS } from './network-preflight.js';
import { failedAction } from './failed-action.js';
import { describeNetns, locateNetns } from './netns.js';
import { describeTargets, networkPreflight, targetNamespaces, type TargetNetns } from './network-preflight.js';
import { describeMatch, nftTableScript, type PacketVerdict, type TrafficMatch } from './nft-rules.js';
import { applyTableScript, checkTableScript } from './nft-table.js';
import { tableName } from './owned-names.js';
import { nftTableUndo, nftTableUndoKind, undoNetwork } from './undo-recipe.js';
import { remoteNftActions, remoteNftPreflight } from './remote-nft.js';
import type { LossFault, PartitionFault } from './schema.js';

export type NftFault = PartitionFault | LossFault;

interface NftFaultKind<F extends NftFault> {
  type: F['type'];
  schema: z.ZodType<F>;
  example: unknown;
  verdict(fault: F): PacketVerdict;
  /** `drop traffic with`, `drop 30% of the packets with`: the start of the label */
  verb(fault: F): string;
}

/** The injector for one nftables fault kind. */
export function nftInjector<F extends NftFault>(kind: NftFaultKind<F>): Injector<F> {
  return {
    type: kind.type,
    schema: kind.schema,
    example: kind.example,
    // hosts: the same table on a remote host, through its executor (remote-nft.ts)
    targets: [...NETWORK_TARGETS, 'hosts'],
    describe: (fault) => `${kind.verb(fault)} ${describeMatch(trafficMatch(fault))}, in the target's network namespace; the nftables table is deleted on revert`,
    undo: [nftTableUndoKind],
    async preflight(ctx) {
      if (ctx.instances.some((i) => i.host !== undefined)) return remoteNftPreflight(ctx);
      const { problems, namespaces } = await networkPreflight(ctx, ['nft']);
      if (problems.length > 0) return problems;
      const table = tableName(ctx.runId, ctx.fault.id ?? ctx.fault.type);
      const script = nftTableScript(table, trafficMatch(ctx.fault), kind.verdict(ctx.fault));
      for (const ns of namespaces) {
        // the kernel checks the very rules (numgen, reject) without loading them
        const refused = await checkTableScript(ns.path, script, ctx.signal);
        if (refused !== undefined) problems.push(`nftables in ${describeNetns(ns.ref)} refuses the rules: ${refused}`);
      }
      return problems;
    },
    async plan(ctx: InjectorContext<F>): Promise<FaultAction[]> {
      // remote instances: the same table through the host's executor (the runner's SSH exempt)
      if (ctx.instances.some((i) => i.host !== undefined)) return remoteNftActions(ctx, kind.verdict(ctx.fault), kind.verb(ctx.fault), trafficMatch(ctx.fault));
      const { namespaces, problems } = await targetNamespaces(ctx.instances);
      const actions = namespaces.map((ns) => nftAction(ctx, kind, ns));
      // an instance that vanished since preflight still gets an action, whose apply says why it failed
      if (problems.length > 0) actions.push(failedAction(ctx.fault.type, problems.join('; ')));
      return actions;
    },
  };
}

/** The packet match of a partition or loss fault. */
export function trafficMatch(fault: NftFault): TrafficMatch {
  return {
    ...(fault.peer !== undefined ? { peer: fault.peer } : {}),
    ...(fault.port !== undefined ? { port: fault.port } : {}),
    ...(fault.localPort !== undefined ? { localPort: fault.localPort } : {}),
    protocol: fault.protocol,
    direction: fault.direction,
  };
}

function nftAction<F extends NftFault>(ctx: InjectorContext<F>, kind: NftFaultKind<F>, ns: TargetNetns): FaultAction {
  const table = tableName(ctx.runId, ctx.fault.id ?? ctx.fault.type);
  const match = trafficMatch(ctx.fault);
  const script = nftTableScript(table, match, kind.verdict(ctx.fault));
  const undoRecipe = nftTableUndo(ns.ref, table);
  const where = describeTargets(ctx.fault.target, ns);
  return {
    label: `${kind.verb(ctx.fault)} ${describeMatch(match)}, in the network namespace of ${where}`,
    instance: ns.instances[0],
    undoRecipe,
    async apply(signal) {
      const path = await locateNetns(ns.ref);
      if (path === undefined) throw new FiredrillError('FD_INJECT_FAILED', `the network namespace of ${where} no longer exists`, { inode: ns.ref.inode });
      await applyTableScript(path, script, signal);
    },
    async revert(signal) {
      await undoNetwork(undoRecipe, signal);
    },
  };
}
