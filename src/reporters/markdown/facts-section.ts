/** 2. What actually happened? Measured facts only: blast radius, timeline, expected vs actual, probes. */
import { formatDurationMs } from '../../drill/duration.js';
import { durationOrDash } from '../aar/format.js';
import type { AarModel, ExpectationRow, SampleView } from '../aar/model.js';
import { cell, code, codeBlock, text } from './escape.js';
import { table } from './table.js';
import { formatPercent } from '../../values/percent.js';
import { formatRelative } from '../../values/relative-time.js';

const STATUS_TEXT: Record<ExpectationRow['status'], string> = {
  missed: '**MISSED**',
  'no-data': '**NO DATA**',
  'near-miss': 'held (near miss)',
  held: 'held',
};

/** Blast radius hit, timeline, expected vs actual, faults, kill switch and the per-probe summary. */
export function factsSection(model: AarModel): string[] {
  return [
    '## 2. What actually happened?',
    '',
    ...blastRadius(model),
    ...timeline(model),
    ...expectations(model),
    ...faults(model),
    ...hosts(model),
    ...proxies(model),
    ...killSwitch(model),
    ...probes(model),
  ];
}

function blastRadius(model: AarModel): string[] {
  const b = model.facts.blastRadius;
  const lines = ['### Blast radius hit', '', text(b.summary), ''];
  const rows = b.targets.flatMap((t) =>
    t.instances.map((i) => [
      cell(t.name),
      String(i.pid),
      code(i.command, true),
      i.selected ? 'yes' : 'no',
      i.touchedBy.length > 0 ? cell(i.touchedBy.join(', ')) : 'untouched',
      cell(`${t.resolvedBy}; ${t.selection}`),
    ]),
  );
  if (rows.length > 0) lines.push(...table(['target', 'pid', 'command', 'selected', 'touched by', 'how it was found and picked'], rows), '');
  if (b.outside.length > 0) {
    lines.push('**Outside the blast radius:**', '', ...b.outside.map((o) => `- **${text(o.label)}**: ${text(o.why)}`), '');
  }
  return lines;
}

function timeline(model: AarModel): string[] {
  const rows = model.facts.timeline.map((e) => [e.at, e.clock.slice(11, 23), e.phase ?? '', cell(e.derived ? `${e.text} (derived)` : e.text)]);
  return ['### Timeline', '', ...table(['t', 'clock (UTC)', 'phase', 'what happened'], rows, ['r']), ''];
}

function expectations(model: AarModel): string[] {
  const { expectations: rows, expectationCounts: n } = model.facts;
  const lines = ['### Expected vs actual', ''];
  if (rows.length === 0) return [...lines, 'No expectation was evaluated.', ''];
  lines.push(`${n.missed} of ${n.total} missed${n.nearMisses > 0 ? `, ${n.nearMisses} near miss${n.nearMisses === 1 ? '' : 'es'}` : ''}. Missed first.`, '');
  lines.push(
    ...table(
      ['result', 'phase', 'probe', 'expected', 'actual', 'budget', 'evidence'],
      rows.map((r) => [STATUS_TEXT[r.status], r.phase, cell(r.probe), cell(r.description), cell(r.actualText), cell(r.budgetText), cell(r.evidence.text)]),
    ),
    '',
  );
  return lines;
}

function faults(model: AarModel): string[] {
  const rows = model.facts.faults.map((f) => [
    cell(f.label),
    f.pid === undefined ? '—' : String(f.pid),
    f.status === 'revert-failed' ? '**REVERT FAILED**' : f.status,
    f.injectedT === undefined ? '—' : formatRelative(f.injectedT),
    f.status === 'revert-failed' ? '**may still be in place**' : durationOrDash(f.inPlaceMs),
    durationOrDash(f.revertMs),
    String(f.revertAttempts),
    cell(f.error ?? ''),
  ]);
  if (rows.length === 0) return ['### Faults', '', 'No fault was injected.', ''];
  return ['### Faults', '', ...table(['fault', 'pid', 'status', 'injected', 'in place', 'revert took', 'attempts', 'error'], rows), ''];
}

function hosts(model: AarModel): string[] {
  const list = model.facts.hosts;
  if (list.length === 0) return [];
  const rows = list.map((h) => [
    cell(h.address ? `${h.host} (${h.address})` : h.host),
    h.touched.length === 0 ? 'nothing' : cell(h.touched.map((t) => `${t.faultId}: ${t.pid === undefined ? (t.command ?? 'the host') : `pid ${t.pid}${t.command ? ` ${t.command}` : ''}`} (${t.status})`).join('; ')),
    h.revertMs === null ? (h.touched.length === 0 ? '—' : '**not reverted**') : formatDurationMs(h.revertMs),
    cell(h.lease ? h.lease.outcome : 'none'),
    h.unreachable ? `**${text(h.unreachable)}**` : 'yes',
  ]);
  const lines = ['### Hosts', '', ...table(['host', 'touched', 'revert took', 'lease', 'reachable'], rows), ''];
  for (const h of list) {
    for (const fix of h.manualFix) {
      lines.push(`**Manual fix on ${text(h.host)}** (${text(fix.label)}): ${text(fix.summary)}`, '', ...codeBlock(fix.commands, 'sh'), '');
    }
  }
  return lines;
}

function proxies(model: AarModel): string[] {
  if (model.facts.proxies.length === 0) return [];
  const rows = model.facts.proxies.flatMap((p) => {
    const totals = `${p.connections} connections (${p.refused} refused, ${p.upstreamFailed} upstream failed), ${p.bytesUp} B up / ${p.bytesDown} B down`;
    if (p.faults.length === 0) return [[cell(p.name), cell(p.route), totals, '—', '—']];
    return p.faults.map((f) => [cell(p.name), cell(p.route), totals, cell(`${f.id} (${f.toxic})`), `${f.connectionsAffected} of ${f.connectionsSelected} connections, ${f.requestsMatched} requests matched, applied ${f.applied}×`]);
  });
  return ['### Fault proxies', '', ...table(['proxy', 'route', 'traffic', 'fault', 'touched'], rows), ''];
}

function killSwitch(model: AarModel): string[] {
  const k = model.facts.killSwitch;
  const would = model.rehearsal?.wouldHaveTripped;
  if (!k.tripped && would) {
    return [
      '### Kill switch',
      '',
      `Rehearsal: the kill switch only watched. It would have tripped at ${would.at} on ${text(would.condition ?? 'a condition')}${would.reason ? ` (${text(would.reason)})` : ''}; nothing was stopped, the rehearsal went on to its planned end.`,
      '',
      ...(would.samples.length > 0 ? ['The samples that would have tripped it:', '', ...sampleTable(would.samples), ''] : []),
    ];
  }
  if (!k.tripped) return ['### Kill switch', '', model.rehearsal ? 'Rehearsal: the kill switch only watched, and would not have tripped.' : 'Did not trip.', ''];
  const lines = [
    '### Kill switch',
    '',
    `Tripped${k.t === undefined ? '' : ` at ${formatRelative(k.t)}`} on ${text(k.condition ?? k.kind ?? 'an unrecorded condition')}` +
      `${k.reason ? ` (${text(k.reason)})` : ''}${k.reactionMs === undefined ? '' : `; every fault reverted ${formatDurationMs(k.reactionMs)} later`}.`,
    '',
  ];
  if (k.samples.length > 0) lines.push('The samples that tripped it:', '', ...sampleTable(k.samples), '');
  return lines;
}

/** The samples behind a finding, one row each. */
export function sampleTable(samples: readonly SampleView[]): string[] {
  return table(
    ['t', 'probe', 'phase', 'ok', 'latency', 'result'],
    samples.map((s) => [s.at, cell(s.probe ?? ''), s.phase ?? '', s.ok ? 'yes' : '**no**', formatDurationMs(s.latencyMs), cell(s.text)]),
    ['r'],
  );
}

function probes(model: AarModel): string[] {
  const rows = model.facts.probes.map((p) => [
    cell(p.probe),
    p.phase,
    String(p.samples),
    p.successRate === null ? '—' : formatPercent(p.successRate),
    durationOrDash(p.p50Ms),
    durationOrDash(p.p95Ms),
    durationOrDash(p.maxMs),
  ]);
  return [
    '### Probes',
    '',
    ...table(['probe', 'phase', 'samples', 'success', 'p50', 'p95', 'max'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r']),
    '',
    `Time to detect: ${text(model.facts.metrics.timeToDetectText)}. Time to recover: ${text(model.facts.metrics.timeToRecoverText)}. ` +
      `Revert: ${text(model.facts.metrics.revertDurationText)}. Kill-switch reaction: ${text(model.facts.metrics.killSwitchReactionText)}.`,
    '',
  ];
}
