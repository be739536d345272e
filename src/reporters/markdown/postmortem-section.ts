/** The postmortem summary: impact, detection, people, went well / badly / lucky, links. */
import type { AarModel } from '../aar/model.js';
import { formatPercent } from '../../values/percent.js';
import { cell, text } from './escape.js';
import { table } from './table.js';

export function postmortemSection(model: AarModel): string[] {
  const pm = model.postmortem;
  const out = ['## Postmortem summary', '', '### Impact', '', text(pm.impact.summary), ''];
  const hurt = pm.impact.probes.filter((p) => p.checks > 0);
  if (hurt.length > 0) {
    out.push(...table(['probe', 'checks in the fault phase', 'failed', 'share failed'], hurt.map((p) => [cell(p.probe), String(p.checks), String(p.failed), p.share === null ? 'no checks' : formatPercent(p.share)]), ['l', 'r', 'r', 'r']), '');
  }
  out.push(pm.impact.slo ? `**Error budget:** ${text(pm.impact.slo.text)}` : 'No SLO is stated: add `slo: { probe, objective: 99.9%, window: 30d }` to the drill to see the error budget it burns.', '');
  out.push('### Detection', '', `- firedrill's probes: ${text(pm.detection.firedrillText)}`);
  for (const a of pm.detection.alerts) out.push(`- the team's alert ${text(a.alertname)} (probe ${text(a.probe)}): ${text(a.text)}`);
  out.push('', text(pm.detection.finding), '');
  out.push('### People', '');
  if (pm.people.length === 0) out.push('No people are named: add `facilitator:` and `participants:` to the drill (or run it in a game day).', '');
  else out.push(...table(['name', 'role'], pm.people.map((p) => [cell(p.name), cell(p.role)])), '');
  const list = (title: string, l: { fromData: string[]; fromTeam: string[] }, none: string) => {
    out.push(`### ${title}`, '');
    for (const line of l.fromData) out.push(`- ${text(line)}`);
    for (const line of l.fromTeam) out.push(`- ${text(line)} _(team)_`);
    if (l.fromData.length + l.fromTeam.length === 0) out.push(none);
    out.push('');
  };
  list('What went well', pm.wentWell, 'Nothing the data shows; the team adds its own under `## Went well` in the notes file.');
  list('What went badly', pm.wentBadly, 'Nothing the data shows; the team adds its own under `## Went badly` in the notes file.');
  list('Where we got lucky', pm.lucky, 'No near miss in the data; the team adds its own under `## Lucky` in the notes file.');
  if (pm.links.length > 0) {
    out.push('### Links', '');
    for (const l of pm.links) out.push(`- ${text(l.title)}: <${l.url.replace(/[<>\s]/g, encodeURIComponent)}>`);
    out.push('');
  }
  return out;
}
