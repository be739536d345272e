/** The history as a plain-text table per drill, for a terminal or a CI log. */
import { formatDurationMs } from '../drill/duration.js';
import type { HistoryResult } from './history.js';

const HEADER = ['started (UTC)', 'run', 'verdict', 'exit', 'recover', 'detect', 'kill switch', 'missed', 'near misses', 'note'];

/** One block per drill: a title line and an aligned table of its runs, oldest first. */
export function historyText(result: HistoryResult): string {
  if (result.drills.length === 0) return 'No runs found.\n';
  const blocks = result.drills.map((d) => {
    const rows = d.runs.map((r) => [
      r.startedAt.replace('T', ' ').slice(0, 19),
      r.runId,
      r.verdict,
      String(r.exitCode),
      r.timeToRecoverMs === null ? '—' : formatDurationMs(r.timeToRecoverMs),
      r.timeToDetectMs === null ? '—' : formatDurationMs(r.timeToDetectMs),
      r.killSwitchTripped ? `tripped${r.killSwitchCondition ? `: ${r.killSwitchCondition}` : ''}` : '—',
      r.missed.length === 0 ? '—' : r.missed.join(', '),
      r.nearMisses.length === 0 ? '—' : r.nearMisses.join(', '),
      r.repeatsPrevious ? 'REPEAT: same failure, same drill file' : '',
    ]);
    return [`${d.drill} (${d.runs.length} run${d.runs.length === 1 ? '' : 's'})`, ...align([HEADER, ...rows])].join('\n');
  });
  const skipped = result.skipped.map((s) => `skipped ${s.dir}: ${s.reason}`);
  return `${[...blocks, ...(skipped.length > 0 ? [skipped.join('\n')] : [])].join('\n\n')}\n`;
}

function align(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}`);
}
