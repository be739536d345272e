/** The plan as text: what `plan` prints and what `run` shows before it asks for confirmation. */
import { formatDurationMs } from '../drill/duration.js';
import { faultWindowMs, plannedDurationMs } from '../drill/rules/timing.js';
import type { Drill } from '../drill/schema.js';
import type { TargetRecord } from '../journal/types.js';
import { noDataDeadlineMs } from '../runner/kill-switch.js';
import { describeCondition } from '../verdict/kill-conditions.js';
import { metricsSourceOf } from '../verdict/source-watch.js';
import { faultId } from '../drill/fault-id.js';
import { describeProbe } from '../probes/registry.js';
import { isolationNote, systemdPresent } from '../safety/watchdog/launch.js';

export interface PlanTextInput {
  drill: Drill;
  targets: TargetRecord[];
  environment: string | undefined;
  seed: number;
  stopFiles?: string[];
}

export function renderPlan({ drill, targets, environment, seed, stopFiles = [] }: PlanTextInput): string {
  const lines: string[] = [];
  const d = formatDurationMs;
  lines.push(`Drill ${drill.name}${drill.description ? ` — ${drill.description}` : ''}`);
  if (drill.hypothesis) lines.push(`Hypothesis: ${drill.hypothesis}`);
  lines.push(`Environment: ${environment ?? '(not given)'} (allowed: ${drill.environments.join(', ')})`);
  lines.push('');
  lines.push(`Blast radius: ${drill.blastRadius.target.join(', ')} · at most ${drill.blastRadius.maxTargets} instance(s) · maxDuration ${d(drill.blastRadius.maxDuration)} · seed ${seed}`);
  for (const t of targets) {
    const hit = t.instances.filter((i) => i.selected);
    lines.push(`  ${t.name} [${t.kind}] ${t.resolvedBy}`);
    lines.push(`    ${t.selection}`);
    for (const i of t.instances) lines.push(`    ${i.selected ? '→ HIT' : '  skip'}  ${i.host !== undefined ? (i.pid > 0 ? `${i.host} pid ${i.pid}` : i.host) : `pid ${i.pid}`}  ${i.command.replace(/\s+/g, ' ')}`);
    if (t.instances.length > 0 && hit.length === 0 && drill.blastRadius.target.includes(t.name)) lines.push('    (no instance selected)');
  }
  lines.push('');
  lines.push(`Timeline (about ${d(plannedDurationMs(drill))}):`);
  lines.push(`  preflight ${d(drill.phases.preflight)} → baseline ${d(drill.phases.baseline)} → faults ${d(faultWindowMs(drill))} → recovery ${d(drill.phases.recovery)}`);
  lines.push('Faults:');
  drill.faults.forEach((f, i) => {
    lines.push(`  ${faultId(f, i)}: ${f.type} on ${f.target} at +${d(f.startAfter)} for ${d(f.duration)}`);
  });
  lines.push('Probes:');
  for (const [name, p] of Object.entries(drill.probes)) {
    const what = describeProbe(p);
    lines.push(`  ${name}: ${what} every ${d(p.interval)}`);
  }
  lines.push('Kill switch (reverts at once when any fires):');
  for (const k of drill.killSwitch) lines.push(`  ${describeCondition(k)}`);
  lines.push(`  maxDuration ${d(drill.blastRadius.maxDuration)} · Ctrl-C / SIGTERM / SIGHUP`);
  for (const [name, p] of Object.entries(drill.probes)) {
    lines.push(`  ${name}: no data for ${d(noDataDeadlineMs(p, drill.safety.noDataIntervals))}`);
    const source = metricsSourceOf(p);
    if (source) lines.push(`  ${name}: ${source.source} source unreadable for ${d(source.graceMs)}`);
  }
  for (const f of stopFiles) lines.push(`  stop file: ${f}`);
  lines.push('If the runner dies:');
  lines.push(`  ${isolationNote(systemdPresent() ? 'systemd-scope' : 'same-cgroup')}`);
  return lines.join('\n');
}
