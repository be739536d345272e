/** The top of the report: title, verdict line, anything that needs acting on now, key figures. */
import { formatDurationMs } from '../../drill/duration.js';
import { killSwitchFigure } from '../aar/kill-switch.js';
import type { AarModel, Observation } from '../aar/model.js';
import { cell, code, codeBlock, text } from './escape.js';
import { table } from './table.js';

/** Title, verdict, alerts and the run's key figures. */
export function headerSection(model: AarModel): string[] {
  const { run, verdict, facts } = model;
  const reverted = model.checklist.find((c) => c.id === 'reverted');
  const lines = [
    `# After-Action Review: ${text(run.drillName)}`,
    '',
    `**Verdict: ${verdict.label}** — ${text(verdict.reason)} (exit ${verdict.exitCode})`,
    '',
  ];
  if (model.rehearsal) lines.push(`> **REHEARSAL — nothing was injected** (${text(model.rehearsal.notInjected.join('; ') || 'no faults planned')}). Every probe watched the undisturbed system; the verdict says what the kill switch and the expectations would have decided.`, '');
  for (const alert of model.alerts) lines.push(...alertBlock(alert), '');
  const rows: string[][] = [
    ['Run', code(run.runId, true)],
    ['Drill file', `${code(run.drillFile, true)} (sha256 ${code(run.drillSha256, true)})`],
    ['Environment', cell(run.environment)],
    ['Started', `${cell(run.startedAt)}${run.durationMs === undefined ? '' : `, ran ${formatDurationMs(run.durationMs)}`}`],
    ['Host', cell(run.host)],
    ['Seed', String(run.seed)],
    ['Time to detect', cell(facts.metrics.timeToDetectText)],
    ['Time to recover', cell(facts.metrics.timeToRecoverText)],
    ['Kill switch', cell(killSwitchFigure(model))],
    ['Faults reverted', reverted ? `${reverted.answer === 'no' ? '**NO**' : cell(reverted.answer)}: ${cell(reverted.detail)}` : '—'],
  ];
  lines.push(...table(['', ''], rows), '');
  return lines;
}

/** A blockquote that cannot be missed, with the manual fix as a copyable block. */
function alertBlock(alert: Observation): string[] {
  const body = [`**ACTION NEEDED** — ${text(alert.text)}`];
  if (alert.fix) {
    body.push('', text(alert.fix.summary));
    if (alert.fix.commands.length > 0) body.push('', ...codeBlock(alert.fix.commands, 'sh'));
    if (alert.fix.check) body.push('', `Then check that ${text(alert.fix.check)}${alert.fix.checkCommand ? ':' : '.'}`);
    if (alert.fix.checkCommand) body.push('', ...codeBlock([alert.fix.checkCommand], 'sh'));
  }
  return body.map((l) => (l === '' ? '>' : `> ${l}`));
}
