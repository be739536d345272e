/** A comparison as plain text: verdict, then each expectation, then the run metrics, regressions marked. */
import type { RunComparison } from '../reporters/aar/compare-runs.js';
import { formatPercent } from '../values/percent.js';

const MARK: Record<string, string> = { better: '+', worse: '-', same: '=', changed: '~', new: '*', gone: 'x' };

/** Lines a person reads top to bottom; the last one says whether it is a regression. */
export function comparisonText(c: RunComparison): string {
  const lines = [
    `A: ${c.a.runId} (${c.a.drill}, ${c.a.startedAt})`,
    `B: ${c.b.runId} (${c.b.drill}, ${c.b.startedAt})`,
  ];
  if (!c.sameDrill) lines.push('note: these runs are of different drills; expectations are matched by phase, probe and metric');
  lines.push(c.drillChanged ? 'the drill file changed between the runs' : 'the drill file is the same in both runs', '');
  const line = (r: { change: string; regression: boolean; text: string }) => `${r.regression ? 'REGRESSION' : MARK[r.change] ?? ' '} ${r.text}`;
  lines.push(line(c.verdict), '', 'expectations:', ...c.expectations.map((e) => `  ${line(e)}`), '', 'run metrics:', ...c.metrics.map((m) => `  ${line(m)}`), '');
  lines.push(
    c.regressions.length === 0
      ? `no regression beyond the tolerance of ${formatPercent(c.tolerance)}`
      : `${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'} (tolerance ${formatPercent(c.tolerance)})`,
  );
  return `${lines.join('\n')}\n`;
}
