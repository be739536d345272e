/** The day report's postmortem summary in Markdown (day.md). */
import { cell, text } from '../../reporters/markdown/escape.js';
import { table } from '../../reporters/markdown/table.js';
import { formatPercent } from '../../values/percent.js';
import type { DayListItem, DayPostmortem } from './day-postmortem.js';

export function dayPostmortemMarkdown(pm: DayPostmortem): string[] {
  const out = ['## Postmortem summary', '', '### Impact', ''];
  if (pm.impact.none) out.push(text(pm.impact.none), '');
  for (const s of pm.impact.steps) out.push(`- step ${text(s.step)} (${s.kind}): ${text(s.summary)}${s.slo ? ` Error budget: ${text(s.slo)}` : ''}`);
  if (pm.impact.steps.length > 0) out.push('');
  const rows = pm.impact.steps.flatMap((s) => s.probes.map((p) => [cell(s.step), cell(p.probe), String(p.checks), String(p.failed), p.share === null ? 'no checks' : formatPercent(p.share)]));
  if (rows.length > 0) out.push(...table(['step', 'probe', 'checks while it was broken', 'failed', 'share failed'], rows, ['l', 'l', 'r', 'r', 'r']), '');
  if (pm.impact.budgets.length > 0) out.push('Error budget over the day:', '', ...pm.impact.budgets.map((b) => `- ${text(b)}`), '');

  out.push('### Detection', '');
  for (const f of pm.detection.findings) out.push(`**${text(f)}**`, '');
  for (const d of pm.detection.steps) {
    const alerts = d.alerts.map((a) => `the team's alert ${a.alertname} (probe ${a.probe}): ${a.text}`);
    out.push(`- step ${text(d.step)}: firedrill's probes: ${text(d.firedrillText)}${alerts.length ? `; ${text(alerts.join('; '))}` : ''}. ${text(d.finding)}`);
  }
  if (pm.detection.steps.length > 0) out.push('');

  out.push('### People', '', ...table(['name', 'role'], pm.people.map((p) => [cell(p.name), cell(p.role)])), '');
  const list = (title: string, items: readonly DayListItem[], none: string) => {
    out.push(`### ${title}`, '');
    for (const i of items) out.push(`- ${i.from === 'day' ? '' : `step ${text(i.from)}: `}${text(i.text)}${i.team ? ' _(team)_' : ''}`);
    if (items.length === 0) out.push(none);
    out.push('');
  };
  list('What went well', pm.wentWell, 'Nothing the data shows; the team adds its own under `## Went well` in the day\'s `notes.md`.');
  list('What went badly', pm.wentBadly, 'Nothing the data shows; the team adds its own under `## Went badly` in the day\'s `notes.md`.');
  list('Where we got lucky', pm.lucky, 'No near miss in the data; the team adds its own under `## Lucky` in the day\'s `notes.md`.');
  if (pm.links.length > 0) {
    out.push('### Links', '');
    for (const l of pm.links) out.push(`- ${text(l.title)}: <${l.url.replace(/[<>\s]/g, encodeURIComponent)}>`);
    out.push('');
  }
  return out;
}
