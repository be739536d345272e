/** `day.md`: the game day's review document in Markdown, linking each step's AAR. */
import { cell, text } from '../../reporters/markdown/escape.js';
import { dayKillSwitchText, expectationsText, noReport, type DayReportModel } from './day-model.js';
import { dayPostmortemMarkdown } from './day-postmortem-markdown.js';

const verdictLabel: Record<string, string> = { passed: 'PASSED', failed: 'FAILED', stopped: 'STOPPED', refused: 'REFUSED', 'revert-failed': 'REVERT INCOMPLETE', running: 'UNFINISHED' };

export function renderDayMarkdown(model: DayReportModel): string {
  const r = model.record;
  const out: string[] = [];
  out.push(`# Game day: ${text(r.plan.title)}`, '');
  if (r.rehearsal) out.push('> **REHEARSAL — nothing was injected.** Every probe watched the undisturbed system; the verdicts say what the kill switches and expectations would have decided.', '');
  out.push(`**${verdictLabel[r.outcome.verdict] ?? r.outcome.verdict}** (exit ${r.outcome.exitCode}): ${text(r.outcome.reason)}`, '');
  if (r.plan.description) out.push(text(r.plan.description), '');
  out.push(`- Day: \`${r.dayId}\` in ${text(r.environment || '(no environment)')}; ${text(model.durationText)}`);
  out.push(`- Plan: \`${r.plan.file}\` (sha256 ${r.plan.sha256.slice(0, 12)})`);
  out.push(`- Kill switch: ${r.killSwitch.tripped ? '**' : ''}${text(dayKillSwitchText(r.killSwitch, r.rehearsal))}${r.killSwitch.tripped ? '**' : ''}`);
  if (r.sessions.length > 1) out.push(`- Sessions: ${r.sessions.map((s, i) => `${i + 1}. ${s.startedAt} → ${s.endedAt ?? '?'}${s.stoppedBy ? ` (stopped: ${text(s.stoppedBy)})` : ''}`).join('; ')}`);
  out.push('');

  out.push('## Steps', '', '| # | step | kind | verdict | expectations | duration | AAR |', '|---|---|---|---|---|---|---|');
  for (const s of model.steps) {
    const aar = s.links ? `[report](${s.links.markdown}) · [html](${s.links.html})` : noReport(s.record.kind);
    out.push(`| ${s.number} | ${cell(s.record.name)} | ${s.record.kind} | ${cell(s.verdictText)} | ${expectationsText(s)} | ${s.durationText} | ${aar} |`);
  }
  out.push('');
  out.push(...dayPostmortemMarkdown(model.postmortem));

  out.push('## What happened, step by step', '');
  for (const s of model.steps.filter((x) => x.record.kind !== 'hold')) {
    out.push(`### ${s.number}. ${text(s.record.name)} — ${s.record.status.toUpperCase()}`, '', text(s.record.summary), '');
    if (s.aar) {
      if (s.aar.plan.hypothesis) out.push(`Hypothesis: ${text(s.aar.plan.hypothesis)}`, '');
      for (const row of s.aar.facts.expectations.filter((e) => e.status !== 'held')) out.push(`- ${row.status === 'near-miss' ? 'near miss' : row.status}: ${text(`${row.phase} ${row.probe} ${row.description}`)} — measured ${text(row.actualText)}`);
      if (s.aar.facts.expectations.some((e) => e.status !== 'held')) out.push('');
    }
    if (s.links) out.push(`After-Action Review: [${s.links.markdown}](${s.links.markdown})`, '');
  }

  out.push('## Day timeline', '', '| time | step | what | by |', '|---|---|---|---|');
  for (const e of model.timeline) out.push(`| ${e.at.slice(11, 19)} | ${e.step ?? 'day'} | ${cell(`${e.kind === 'note' ? 'note: ' : ''}${e.text}`)} | ${cell(e.author ? `${e.author}${e.source ? ` (${e.source})` : ''}` : 'firedrill')} |`);
  out.push('');

  out.push('## Action items', '');
  if (model.actions.length === 0) out.push('No action items recorded yet: add them under `## Actions` in a step\'s `notes.md` (or the day\'s `notes.md`) and render the report again.', '');
  else {
    out.push('| step | action | owner | due | done |', '|---|---|---|---|---|');
    for (const a of model.actions) out.push(`| ${cell(a.step)} | ${cell(a.text)} | ${cell(a.owner ?? 'nobody yet')} | ${cell(a.due ?? 'not set')} | ${a.done ? 'yes' : 'no'} |`);
    out.push('');
  }
  if (model.prompts.length) {
    out.push('## Questions for the review', '');
    for (const p of model.prompts) out.push(`- step ${text(p.step)}: ${text(p.text)}`);
    out.push('');
  }
  out.push(`_Rendered from \`day.json\` and each step's journal; reports never re-run or re-measure anything._`, '');
  return out.join('\n');
}
