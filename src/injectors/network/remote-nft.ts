/**
 * Partition and loss on remote hosts: the same nftables table as locally, loaded through the
 * host's executor, either in the host's own network stack (the host itself) or in a remote
 * process's namespace (nsenter on the host). The runner's own SSH connection is exempt, always.
 */
import { FiredrillError } from '../../errors.js';
import { executorFor } from '../../executors/registry.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, InjectorContext } from '../contract.js';
import { quote } from '../../lease/watchdog-script.js';
import type { NftFault } from './nft-fault.js';
import { describeMatch, nftTableScript, type PacketVerdict, type TrafficMatch } from './nft-rules.js';
import { tableName } from './owned-names.js';

function inNs(instance: TargetInstance, command: string): string {
  return instance.pid > 0 ? `nsenter -t ${instance.pid} -n sh -c ${quote(command)}` : command;
}

/** Deletes the table if it is there; exit 0 only when it is gone. */
export function deleteTableShell(instance: TargetInstance, table: string): string {
  return inNs(instance, `nft list table inet ${table} >/dev/null 2>&1 && nft delete table inet ${table}; ! nft list table inet ${table} >/dev/null 2>&1`);
}

export async function remoteNftPreflight(ctx: InjectorContext<NftFault>): Promise<string[]> {
  const problems: string[] = [];
  for (const instance of ctx.instances) {
    const r = await executorFor(instance).sh('command -v nft >/dev/null 2>&1 && nft list tables >/dev/null', { timeoutMs: 10_000 });
    if (r.exitCode !== 0) problems.push(`${instance.host}: nftables is not usable there (${r.stderr.trim() || 'nft not installed, or not root'})`);
  }
  return problems;
}

export function remoteNftActions(ctx: InjectorContext<NftFault>, verdict: PacketVerdict, verb: string, match: TrafficMatch): FaultAction[] {
  const table = tableName(ctx.runId, ctx.fault.id ?? ctx.fault.type);
  return ctx.instances.map((instance): FaultAction => {
    const executor = executorFor(instance);
    const carrier = executor.carrier;
    const script = nftTableScript(table, match, verdict, carrier ? [carrier] : []);
    const undo = deleteTableShell(instance, table);
    const where = instance.pid > 0 ? `the network namespace of ${instance.id}` : `host ${instance.host ?? instance.id}`;
    return {
      label: `${verb} ${describeMatch(match)}, on ${where}${carrier ? ` (the runner's SSH ${carrier.clientAddress}:${carrier.clientPort} -> :${carrier.serverPort} exempt)` : ''}`,
      instance,
      undoRecipe: { kind: 'command', command: undo, env: {}, timeoutMs: 10_000 },
      async apply(signal) {
        const r = await executor.sh(inNs(instance, 'nft -f -'), { stdin: script, timeoutMs: 10_000, signal });
        if (r.exitCode !== 0) throw new FiredrillError('FD_INJECT_FAILED', `${instance.host}: nft refused the rules: ${r.stderr.trim()}`, { host: instance.host });
      },
      async revert() {
        const r = await executor.sh(undo, { timeoutMs: 10_000 });
        if (r.exitCode !== 0) throw new FiredrillError('FD_REVERT_FAILED', `${instance.host}: the table ${table} is still there: ${r.stderr.trim()}`, { host: instance.host });
      },
    };
  });
}
