/** 2. What actually happened? Expected vs actual first, then the charts and the rest of the facts. */
import { formatDurationMs } from '../../drill/duration.js';
import { durationOrDash } from '../aar/format.js';
import type { AarModel, ExpectationRow } from '../aar/model.js';
import { chartsSection } from './charts-section.js';
import { html, type Html } from './html.js';
import { chip, sampleTable, table } from './parts.js';
import { formatPercent } from '../../values/percent.js';
import { formatRelative } from '../../values/relative-time.js';

const STATUS_TEXT: Record<ExpectationRow['status'], string> = { missed: 'MISSED', 'no-data': 'NO DATA', 'near-miss': 'near miss', held: 'held' };

/** Expected vs actual, charts, blast radius, timeline, faults, kill switch and the per-probe summary. */
export function factsSection(model: AarModel): Html {
  return html`<section id="facts"><h2>2. What actually happened?</h2>
${expectations(model)}
${chartsSection(model)}
${blastRadius(model)}
${timeline(model)}
${faults(model)}
${hosts(model)}
${proxies(model)}
${killSwitch(model)}
${probes(model)}
</section>`;
}

function expectations(model: AarModel): Html {
  const { expectations: rows, expectationCounts: n } = model.facts;
  if (rows.length === 0) return html`<h3>Expected vs actual</h3><p>No expectation was evaluated.</p>`;
  return html`<h3>Expected vs actual</h3>
<p>${n.missed} of ${n.total} missed${n.nearMisses > 0 ? `, ${n.nearMisses} near miss${n.nearMisses === 1 ? '' : 'es'}` : ''}. Missed first.</p>
${table(
  [{ title: 'result', nowrap: true }, { title: 'phase', nowrap: true }, { title: 'probe', nowrap: true }, 'expected', { title: 'actual', nowrap: true }, 'budget', 'evidence'],
  rows.map((r) => ({ className: r.status, cells: [chip(r.status, STATUS_TEXT[r.status]), r.phase, r.probe, r.description, r.actualText, r.budgetText, r.evidence.text] })),
)}`;
}

function blastRadius(model: AarModel): Html {
  const b = model.facts.blastRadius;
  const rows = b.targets.flatMap((t) =>
    t.instances.map((i) => ({
      cells: [t.name, String(i.pid), html`<code>${i.command}</code>`, i.selected ? 'yes' : 'no', i.touchedBy.length > 0 ? i.touchedBy.join(', ') : 'untouched', `${t.resolvedBy}; ${t.selection}`],
    })),
  );
  return html`<h3>Blast radius hit</h3>
<p>${b.summary}</p>
${rows.length > 0 ? table(['target', 'pid', 'command', 'selected', 'touched by', 'how it was found and picked'], rows) : ''}
${b.outside.length > 0 ? html`<div class="alert"><strong class="tag">Outside the blast radius:</strong><ul>${b.outside.map((o) => html`<li><strong>${o.label}</strong>: ${o.why}</li>`)}</ul></div>` : ''}`;
}

function timeline(model: AarModel): Html {
  return html`<h3>Timeline</h3>
${table(
  [{ title: 't', num: true }, { title: 'clock (UTC)', nowrap: true }, 'phase', 'what happened'],
  model.facts.timeline.map((e) => ({ cells: [e.at, e.clock.slice(11, 23), e.phase ?? '', e.derived ? html`${e.text} <span class="muted">(derived)</span>` : e.text], className: e.kind === 'revert-failed' ? 'missed' : '' })),
)}`;
}

function faults(model: AarModel): Html {
  if (model.facts.faults.length === 0) return html`<h3>Faults</h3><p>No fault was injected.</p>`;
  return html`<h3>Faults</h3>
${table(
  ['fault', 'pid', 'status', { title: 'injected', num: true }, { title: 'in place', num: true }, { title: 'revert took', num: true }, { title: 'attempts', num: true }, 'error'],
  model.facts.faults.map((f) => ({
    className: f.status === 'revert-failed' ? 'missed' : '',
    cells: [
      f.label,
      f.pid === undefined ? '—' : String(f.pid),
      f.status === 'revert-failed' ? chip('no', 'REVERT FAILED') : f.status,
      f.injectedT === undefined ? '—' : formatRelative(f.injectedT),
      f.status === 'revert-failed' ? html`<strong>may still be in place</strong>` : durationOrDash(f.inPlaceMs),
      durationOrDash(f.revertMs),
      String(f.revertAttempts),
      f.error ?? '',
    ],
  })),
)}`;
}

function hosts(model: AarModel): Html {
  const list = model.facts.hosts;
  if (list.length === 0) return html``;
  const fixes = list.flatMap((h) =>
    h.manualFix.map((fix) => html`<div class="alert"><p><strong>Manual fix on ${h.host}</strong> (${fix.label}): ${fix.summary}</p>${fix.commands.length > 0 ? html`<pre>${fix.commands.join('\n')}</pre>` : ''}</div>`),
  );
  return html`<h3>Hosts</h3>
${table(
  ['host', 'touched', { title: 'revert took', num: true }, 'lease', 'reachable'],
  list.map((h) => ({
    className: h.unreachable || (h.revertMs === null && h.touched.length > 0) ? 'missed' : '',
    cells: [
      h.address ? html`${h.host} <span class="muted">${h.address}</span>` : h.host,
      h.touched.length === 0 ? 'nothing' : h.touched.map((t) => `${t.faultId}: ${t.pid === undefined ? (t.command ?? 'the host') : `pid ${t.pid}${t.command ? ` ${t.command}` : ''}`} (${t.status})`).join('; '),
      h.revertMs === null ? (h.touched.length === 0 ? '—' : html`<strong>not reverted</strong>`) : formatDurationMs(h.revertMs),
      h.lease ? h.lease.outcome : 'none',
      h.unreachable ? html`<strong>${h.unreachable}</strong>` : 'yes',
    ],
  })),
)}${fixes}`;
}

function proxies(model: AarModel): Html {
  if (model.facts.proxies.length === 0) return html``;
  return html`<h3>Fault proxies</h3>
${table(
  ['proxy', 'route', 'traffic', 'fault', 'touched'],
  model.facts.proxies.flatMap((p) => {
    const totals = `${p.connections} connections (${p.refused} refused, ${p.upstreamFailed} upstream failed), ${p.bytesUp} B up / ${p.bytesDown} B down`;
    if (p.faults.length === 0) return [{ cells: [p.name, p.route, totals, '—', '—'] }];
    return p.faults.map((f) => ({ cells: [p.name, p.route, totals, `${f.id} (${f.toxic})`, `${f.connectionsAffected} of ${f.connectionsSelected} connections, ${f.requestsMatched} requests matched, applied ${f.applied}×`] }));
  }),
)}`;
}

function killSwitch(model: AarModel): Html {
  const k = model.facts.killSwitch;
  const would = model.rehearsal?.wouldHaveTripped;
  if (!k.tripped && would) {
    return html`<h3>Kill switch</h3>
<p>Rehearsal: the kill switch only watched. It would have tripped at ${would.at} on ${would.condition ?? 'a condition'}${would.reason ? ` (${would.reason})` : ''}; nothing was stopped, the rehearsal went on to its planned end.</p>
${would.samples.length > 0 ? html`<p>The samples that would have tripped it:</p>${sampleTable(would.samples)}` : ''}`;
  }
  if (!k.tripped) return html`<h3>Kill switch</h3><p>${model.rehearsal ? 'Rehearsal: the kill switch only watched, and would not have tripped.' : 'Did not trip.'}</p>`;
  return html`<h3>Kill switch</h3>
<p>Tripped${k.t === undefined ? '' : ` at ${formatRelative(k.t)}`} on ${k.condition ?? k.kind ?? 'an unrecorded condition'}${k.reason ? ` (${k.reason})` : ''}${k.reactionMs === undefined ? '' : `; every fault reverted ${formatDurationMs(k.reactionMs)} later`}.</p>
${k.samples.length > 0 ? html`<p>The samples that tripped it:</p>${sampleTable(k.samples)}` : ''}`;
}

function probes(model: AarModel): Html {
  const m = model.facts.metrics;
  return html`<h3>Probes</h3>
${table(
  ['probe', 'phase', { title: 'samples', num: true }, { title: 'success', num: true }, { title: 'p50', num: true }, { title: 'p95', num: true }, { title: 'max', num: true }],
  model.facts.probes.map((p) => ({
    cells: [p.probe, p.phase, String(p.samples), p.successRate === null ? '—' : formatPercent(p.successRate), durationOrDash(p.p50Ms), durationOrDash(p.p95Ms), durationOrDash(p.maxMs)],
  })),
)}
<p>Time to detect: ${m.timeToDetectText}. Time to recover: ${m.timeToRecoverText}. Revert: ${m.revertDurationText}. Kill-switch reaction: ${m.killSwitchReactionText}.</p>`;
}
