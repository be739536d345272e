/** 1. What was supposed to happen? The drill's own words and numbers, written before the run. */
import { formatDurationMs } from '../../drill/duration.js';
import type { AarModel } from '../aar/model.js';
import { cell, text } from './escape.js';
import { table } from './table.js';
import { formatPercent } from '../../values/percent.js';

/** Hypothesis, expectations as written, and the plan: faults, blast radius, probes, phases, kill switch. */
export function planSection(model: AarModel): string[] {
  const { plan } = model;
  const lines = ['## 1. What was supposed to happen?', ''];
  lines.push(plan.hypothesis ? `**Hypothesis:** ${text(plan.hypothesis)}` : '**Hypothesis:** none written. A drill without one can only report what happened, not whether it was expected.', '');
  if (plan.description) lines.push(text(plan.description), '');
  if (plan.owner) lines.push(`Owner: ${text(plan.owner)}`, '');

  lines.push('### Expectations, as written', '');
  if (plan.expectations.length === 0) lines.push('The drill sets no expectations.', '');
  else {
    lines.push(...table(['phase', 'probe', 'check'], plan.expectations.map((e) => [e.phase, cell(e.probe), cell(e.name ? `${e.check} (${e.name})` : e.check)])), '');
  }

  lines.push('### The plan', '');
  const br = plan.blastRadius;
  const share = br.trafficShare === undefined ? '' : `, at most ${formatPercent(br.trafficShare)} of traffic`;
  lines.push(
    `- **Blast radius:** ${text(br.targets.join(', '))}; select ${text(br.select)}; at most ${br.maxTargets} instance${br.maxTargets === 1 ? '' : 's'}; at most ${formatDurationMs(br.maxDurationMs)} in all${share}.`,
    `- **Phases:** ${plan.phases.map((p) => `${p.name} ${formatDurationMs(p.plannedMs)}`).join(' → ')}`,
    '',
  );
  lines.push(
    ...table(
      ['fault', 'type', 'target', 'starts', 'lasts', 'how'],
      plan.faults.map((f) => [cell(f.id), f.type, cell(f.target), f.startAfterMs === 0 ? 'start of the fault phase' : `${formatDurationMs(f.startAfterMs)} into the fault phase`, formatDurationMs(f.durationMs), cell(f.detail)]),
    ),
    '',
  );
  lines.push(
    ...table(
      ['probe', 'every', 'timeout', 'checks'],
      plan.probes.map((p) => [cell(p.name), formatDurationMs(p.intervalMs), formatDurationMs(p.timeoutMs), cell(p.what)]),
    ),
    '',
  );
  lines.push('**Kill switch:**', '', ...plan.killSwitch.map((k) => `- ${text(k)}`), '');
  return lines;
}
