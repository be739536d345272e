/** 3. Why were there differences? What the tool saw, the 5 Whys, and questions the data cannot answer. */
import type { AarModel } from '../aar/model.js';
import { code, text } from './escape.js';

/** Observations (with the samples behind them), ready-to-fill 5 Whys chains, and prompts. */
export function whySection(model: AarModel): string[] {
  const { why } = model;
  const lines = ['## 3. Why were there differences?', '', '### What the data shows', ''];
  if (why.observations.length === 0) lines.push('Nothing stood out in the data: every expectation held with room to spare.', '');
  for (const o of why.observations) {
    const mark = o.severity === 'critical' ? '**' : '';
    lines.push(`- ${mark}${text(o.text)}${mark}`);
    for (const s of o.samples ?? []) lines.push(`  - ${s.at} ${text(s.probe ?? '')} (${s.phase ?? '—'}): ${text(s.text)}`);
    if (o.fix) {
      lines.push(`  - Fix by hand: ${text(o.fix.summary)}`);
      for (const c of o.fix.commands) lines.push(`    - ${code(c)}`);
    }
  }
  if (why.observations.length > 0) lines.push('');

  lines.push('### 5 Whys', '');
  if (why.fiveWhys.length === 0) {
    lines.push('No expectation was missed. Start a chain from any near miss or surprise above if the team wants to dig deeper.', '');
  }
  for (const chain of why.fiveWhys) {
    lines.push(`**Starting from:** ${text(chain.problem)}${chain.source === 'team' ? ' (from the team\'s notes)' : ''}`, '');
    if (chain.seen.length > 0) lines.push('What the data shows:', '', ...chain.seen.map((s) => `- ${text(s)}`), '');
    const answers = chain.answers ?? [];
    for (let i = 1; i <= Math.max(chain.depth, answers.length); i++) lines.push(`${i}. Why? ${answers[i - 1] === undefined ? '…' : text(answers[i - 1] ?? '')}`);
    lines.push('', `Root condition: ${chain.root === undefined ? '…' : text(chain.root)}`, '');
  }

  lines.push('### What the data cannot show', '', ...why.prompts.map((p) => `- ${text(p)}`), '');
  return lines;
}
