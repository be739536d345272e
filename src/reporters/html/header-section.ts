/** The top of the report: verdict in its colour, anything to act on now, the key figures. */
import { formatDurationMs } from '../../drill/duration.js';
import type { AarModel, Observation } from '../aar/model.js';
import { html, type Html } from './html.js';
import { keyValues } from './parts.js';
import { killSwitchFigure } from '../aar/kill-switch.js';

/** Verdict banner, alerts, key figures, run facts and the table of contents. */
export function headerSection(model: AarModel): Html {
  const { run, verdict, facts } = model;
  const counts = facts.expectationCounts;
  const reverted = model.checklist.find((c) => c.id === 'reverted');
  const figures: Array<{ k: string; v: string; bad?: boolean }> = [
    { k: 'Expectations missed', v: `${counts.missed} of ${counts.total}`, bad: counts.missed > 0 },
    { k: 'Near misses', v: String(counts.nearMisses) },
    { k: 'Time to detect', v: facts.metrics.timeToDetectText },
    {
      k: 'Time to recover',
      v: facts.metrics.timeToRecoverText,
      bad: facts.expectations.some((r) => r.metric === 'recoversWithin' && !r.ok) || (facts.metrics.timeToRecoverMs === null && facts.faults.some((f) => f.injectedT !== undefined)),
    },
    { k: 'Kill switch', v: killSwitchFigure(model), bad: Boolean(model.rehearsal?.wouldHaveTripped) },
    { k: 'Faults reverted', v: reverted ? (reverted.answer === 'no' ? 'NO' : reverted.answer) : '—', bad: reverted?.answer === 'no' },
  ];
  const runner = verdict.runnerReason && verdict.runnerReason !== verdict.reason && !verdict.reason.includes(verdict.runnerReason) ? verdict.runnerReason : '';
  return html`<header class="verdict ${verdict.tone}" id="verdict">
<p class="eyebrow">After-Action Review</p>
<h1>${run.drillName}</h1>
<p><span class="label">${verdict.label}</span><span class="reason">${verdict.reason}</span> <span class="muted">(exit ${verdict.exitCode})</span></p>
${runner ? html`<p class="muted">The runner: ${runner}</p>` : ''}
</header>
${model.rehearsal ? html`<div class="alert warning" role="note"><strong class="tag">REHEARSAL</strong> — nothing was injected (${model.rehearsal.notInjected.join('; ') || 'no faults planned'}). Every probe watched the undisturbed system; the verdict says what the kill switch and the expectations would have decided.</div>` : ''}
${model.alerts.map(alertBlock)}
${model.learning.repetition ? html`<div class="alert warning" role="note"><strong class="tag">REPETITION, NOT ITERATION</strong> — ${model.learning.repetition}</div>` : ''}
<div class="figures">${figures.map((f) => html`<div class="figure${f.bad ? ' bad' : ''}"><div class="k">${f.k}</div><div class="v">${f.v}</div></div>`)}</div>
${keyValues([
  ['Run', html`<code>${run.runId}</code>`],
  ['Drill file', html`<code>${run.drillFile}</code> <span class="muted">sha256 <code>${run.drillSha256}</code></span>`],
  ['Environment', run.environment],
  ['Started', `${run.startedAt}${run.durationMs === undefined ? '' : `, ran ${formatDurationMs(run.durationMs)}`}`],
  ['Host', run.host],
  ['Seed', String(run.seed)],
])}
<nav class="toc" aria-label="Contents"><a href="#postmortem">Postmortem summary</a><a href="#since">Since the previous run</a><a href="#plan">1. Supposed to happen</a><a href="#facts">2. Actually happened</a><a href="#charts">Charts</a><a href="#why">3. Why</a><a href="#next">4. Next time</a><a href="#checklist">Safe-to-fail checklist</a>${model.notes ? html`<a href="#notes">Team notes</a>` : ''}</nav>`;
}

/** A box that cannot be missed, with the manual fix to copy. */
function alertBlock(alert: Observation): Html {
  const fix = alert.fix;
  return html`<div class="alert" role="alert"><strong class="tag">ACTION NEEDED</strong> — ${alert.text}
${fix ? html`<p>${fix.summary}</p>${fix.commands.length > 0 ? html`<pre>${fix.commands.join('\n')}</pre>` : ''}${fix.check ? html`<p>Then check that ${fix.check}${fix.checkCommand ? ':' : '.'}</p>` : ''}${fix.checkCommand ? html`<pre>${fix.checkCommand}</pre>` : ''}` : ''}</div>`;
}
