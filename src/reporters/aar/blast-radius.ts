/** The blast radius actually hit, derived from the fault records: what was touched, and that nothing else was. */
import type { FaultRecord, Journal } from '../../journal/types.js';
import { plural } from './format.js';
import type { BlastRadiusFacts } from './model.js';

/** Faults that acted, or tried to: everything but the planned and never-injected ones. */
export function actedFaults(journal: Journal): FaultRecord[] {
  return journal.faults.filter((f) => f.status !== 'planned' && f.status !== 'not-injected');
}

/** Compares every fault record against the selected instances of the blast-radius targets. */
export function blastRadiusFacts(journal: Journal): BlastRadiusFacts {
  const declared = journal.drill.spec.blastRadius.target;
  const acted = actedFaults(journal);
  const outside: BlastRadiusFacts['outside'] = [];
  for (const f of acted) {
    const why = outsideReason(journal, declared, f);
    if (why) outside.push({ faultId: f.faultId, label: f.label, why });
  }
  const targets = journal.targets.map((t) => ({
    name: t.name,
    kind: t.kind,
    inBlastRadius: declared.includes(t.name),
    resolvedBy: t.resolvedBy,
    selection: t.selection,
    instances: t.instances.map((i) => ({
      id: i.id,
      pid: i.pid,
      command: i.command,
      managed: i.managed,
      selected: i.selected,
      touchedBy: acted.filter((f) => f.target === t.name && f.instance?.pid === i.pid).map((f) => f.faultId),
    })),
  }));
  const touched = acted.map((f) => {
    const row: BlastRadiusFacts['touched'][number] = { faultId: f.faultId, label: f.label, type: f.type, target: f.target, status: f.status };
    if (f.instance) {
      row.pid = f.instance.pid;
      row.command = f.instance.command;
    }
    return row;
  });
  return { contained: outside.length === 0, summary: summary(journal, acted, outside.length), targets, touched, outside };
}

function outsideReason(journal: Journal, declared: readonly string[], f: FaultRecord): string | undefined {
  if (!declared.includes(f.target)) return `target "${f.target}" is not in the blast radius (${declared.join(', ')})`;
  if (!f.instance) return undefined;
  const target = journal.targets.find((t) => t.name === f.target);
  const selected = target?.instances.filter((i) => i.selected).map((i) => i.pid) ?? [];
  return selected.includes(f.instance.pid) ? undefined : `pid ${f.instance.pid} was not among the selected instances of "${f.target}"`;
}

function summary(journal: Journal, acted: readonly FaultRecord[], outsideCount: number): string {
  if (acted.length === 0) return 'No fault was injected; nothing was touched.';
  const pids = [...new Set(acted.flatMap((f) => (f.instance ? [f.instance.pid] : [])))];
  const targets = [...new Set(acted.map((f) => f.target))];
  const wholeTarget = acted.filter((f) => !f.instance);
  const leftAlone = journal.targets
    .filter((t) => targets.includes(t.name))
    .reduce((n, t) => n + t.instances.filter((i) => !i.selected).length, 0);
  const parts: string[] = [];
  if (pids.length > 0) parts.push(`${plural(pids.length, 'process', 'processes')} (pid ${pids.join(', ')})`);
  if (wholeTarget.length > 0) parts.push(`the target as a whole, not one process (${wholeTarget.map((f) => f.faultId).join(', ')})`);
  const alone = leftAlone > 0 ? ` ${plural(leftAlone, 'other instance')} of the same target${targets.length === 1 ? '' : 's'} ${leftAlone === 1 ? 'was' : 'were'} left alone.` : '';
  const contained = outsideCount === 0
    ? ' No fault record names anything outside the blast radius.'
    : ` ${plural(outsideCount, 'fault record')} acted outside the blast radius.`;
  return `${plural(acted.length, 'fault')} touched ${targets.join(', ')}: ${parts.join(' and ')}.${alone}${contained}`;
}
