/**
 * The fleet, host by host (`hosts:` targets): which pid each fault touched there, how long the
 * host's revert took, how its dead-man lease ended, whether the host could not be reached, and how
 * to undo by hand what is still in place there. Everything comes from the journal: the fault
 * records (host, pid, undo recipe), the targets and the runner's lease and refusal events.
 */
import type { Journal } from '../../journal/types.js';
import { unrevertedFaults } from './faults.js';
import { manualFix } from './manual-fix.js';
import type { HostFacts } from './model.js';

/** One entry per remote host the run knew of, in inventory order; empty without `hosts:` targets. */
export function hostFacts(journal: Journal): HostFacts[] {
  const names: string[] = [];
  const add = (name: unknown): void => {
    if (typeof name === 'string' && name !== '' && !names.includes(name)) names.push(name);
  };
  for (const t of journal.targets) if (t.kind === 'hosts') for (const i of t.instances) add(i.host);
  for (const f of journal.faults) add(f.instance?.host);
  const refused = new Set<string>();
  for (const e of journal.events) {
    const hosts = e.data?.hosts;
    if (e.type === 'preflight' && Array.isArray(hosts)) for (const h of hosts) if (typeof h === 'string') refused.add(h);
    add(e.data?.host);
  }
  for (const h of refused) add(h);
  if (names.length === 0) return [];

  const unreverted = new Set(unrevertedFaults(journal).map((f) => f.id));
  return names.map((name): HostFacts => {
    const faults = journal.faults.filter((f) => f.instance?.host === name);
    const address = faults.map((f) => f.undo?.address).find((a): a is string => typeof a === 'string');
    const starts = faults.flatMap((f) => (f.revertStartT === undefined ? [] : [f.revertStartT]));
    const ends = faults.flatMap((f) => (f.revertedT === undefined ? [] : [f.revertedT]));
    const leaseEvent = journal.events.find((e) => e.data?.host === name && (e.type === 'revert' || (e.type === 'warning' && typeof e.data.outcome === 'string')));
    const leaseOutcome = leaseEvent?.type === 'revert' ? 'released' : typeof leaseEvent?.data?.outcome === 'string' ? leaseEvent.data.outcome : undefined;
    const unreachableWhy = refused.has(name)
      ? 'unreachable at preflight: nothing was injected anywhere'
      : leaseOutcome === 'unreachable'
        ? 'unreachable when the runner released its lease'
        : faults.some((f) => /unreachable over SSH|connection was lost/.test(f.error ?? ''))
          ? 'unreachable during the revert'
          : undefined;
    const left = faults.filter((f) => unreverted.has(f.id));
    return {
      host: name,
      ...(address ? { address } : {}),
      touched: faults.map((f) => ({
        faultId: f.faultId,
        label: f.label,
        ...(f.instance && f.instance.pid > 0 ? { pid: f.instance.pid } : {}),
        ...(f.instance ? { command: f.instance.command } : {}),
        status: f.status,
      })),
      revertMs: left.length === 0 && starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : null,
      lease: leaseEvent ? { outcome: leaseOutcome ?? 'unknown', text: leaseEvent.message } : null,
      ...(unreachableWhy ? { unreachable: unreachableWhy } : {}),
      manualFix: left.map((f) => ({ label: f.label, ...manualFix(journal, f) })),
    };
  });
}
