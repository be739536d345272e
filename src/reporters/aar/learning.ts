/**
 * Learning across runs: the previous run of the same drill, what changed since (drill file,
 * targets, environment, tool), what got better or worse, and whether a failure is repeating with
 * nothing changed — repetition, not iteration.
 */
import { compareJournals } from './compare-runs.js';
import type { Journal, TargetRecord } from '../../journal/types.js';
import type { EarlierRunSummary, HistoryContext } from './context.js';
import { plural } from './format.js';
import type { ChangeLine, ExpectationRow, LearningSection, ResultChange } from './model.js';
import { verdictLine } from './verdict.js';

/** Parts of the drill compared one by one, so a changed file says what changed in it. */
const DRILL_PARTS = ['hypothesis', 'environments', 'targets', 'blastRadius', 'faults', 'probes', 'phases', 'expect', 'killSwitch', 'safety', 'premortem'] as const;

/** The learning section; empty but for the run count when there is no earlier run. `repetition` reads after "Repetition, not iteration:". */
export function learningSection(journal: Journal, rows: readonly ExpectationRow[], history: HistoryContext | undefined, nearMissShare?: number): LearningSection {
  const earlierRuns = history?.earlier.length ?? 0;
  const prev = history?.previous;
  if (!prev) return { previous: null, changes: [], results: [], repetition: null, earlierRuns };
  const before = prev.journal;
  const comparison = compareJournals(before, journal, nearMissShare === undefined ? {} : { nearMissShare });
  const changes = [drillChange(before, journal), ...targetChanges(before.targets, journal.targets), ...contextChanges(before, journal)];
  const results: ResultChange[] = [
    comparison.verdict,
    ...comparison.expectations.filter((e) => e.change !== 'same'),
    ...comparison.metrics.filter((m) => m.change !== 'same'),
  ].map(({ key, change, regression, text }) => ({ key, change, regression, text }));
  const unchanged = comparison.expectations.filter((e) => e.change === 'same').length;
  if (unchanged > 0) {
    const what = unchanged === comparison.expectations.length ? plural(unchanged, 'expectation') : plural(unchanged, 'other expectation');
    results.push({ key: 'unchanged', change: 'same', regression: false, text: `${what}: no change` });
  }
  return {
    previous: {
      runId: before.runId,
      startedAt: before.startedAt,
      verdict: before.outcome.verdict,
      label: verdictLine(before, []).label,
      href: prev.href,
    },
    changes,
    results,
    repetition: repetition(journal, rows, history.earlier, changes),
    earlierRuns,
  };
}

function drillChange(before: Journal, after: Journal): ChangeLine {
  const short = (sha: string) => sha.slice(0, 12);
  if (before.drill.sha256 === after.drill.sha256) {
    return { what: 'drill', changed: false, text: `The drill file is unchanged (sha256 ${short(after.drill.sha256)}).` };
  }
  const parts = DRILL_PARTS.filter((p) => JSON.stringify(before.drill.spec[p]) !== JSON.stringify(after.drill.spec[p]));
  const where = parts.length > 0 ? `: ${parts.join(', ')} differ` : ' (layout or comments only)';
  return { what: 'drill', changed: true, text: `The drill file changed (sha256 ${short(before.drill.sha256)} → ${short(after.drill.sha256)})${where}.` };
}

/** Targets by name: how they were found and picked, and what runs as the selected instances (pids always differ). */
function targetChanges(before: readonly TargetRecord[], after: readonly TargetRecord[]): ChangeLine[] {
  const lines: ChangeLine[] = [];
  const names = [...new Set([...before.map((t) => t.name), ...after.map((t) => t.name)])];
  for (const name of names) {
    const a = before.find((t) => t.name === name);
    const b = after.find((t) => t.name === name);
    if (!a || !b) {
      lines.push({ what: 'targets', changed: true, text: `Target ${name} ${b ? 'is new in this run' : 'is no longer resolved'}.` });
      continue;
    }
    const diffs: string[] = [];
    if (a.resolvedBy !== b.resolvedBy) diffs.push(`found by "${a.resolvedBy}" → "${b.resolvedBy}"`);
    if (a.selection !== b.selection) diffs.push(`picked "${a.selection}" → "${b.selection}"`);
    const commands = (t: TargetRecord) => t.instances.filter((i) => i.selected).map((i) => i.command).sort().join('\n');
    if (commands(a) !== commands(b)) diffs.push('the selected instances run a different command line');
    if (diffs.length > 0) lines.push({ what: 'targets', changed: true, text: `Target ${name}: ${diffs.join('; ')}.` });
  }
  if (lines.length === 0) lines.push({ what: 'targets', changed: false, text: `The targets were found and picked the same way (${names.join(', ')}).` });
  return lines;
}

function contextChanges(before: Journal, after: Journal): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (before.environment !== after.environment) {
    lines.push({ what: 'environment', changed: true, text: `Environment ${before.environment} → ${after.environment}.` });
  }
  if (before.tool.version !== after.tool.version) {
    lines.push({ what: 'tool', changed: true, text: `firedrill ${before.tool.version} → ${after.tool.version}.` });
  }
  return lines;
}

/**
 * A failure that repeats the previous one (same verdict, same missed expectations) while nothing
 * firedrill can see changed. Counts how many runs in a row failed that way.
 */
function repetition(journal: Journal, rows: readonly ExpectationRow[], earlier: readonly EarlierRunSummary[], changes: readonly ChangeLine[]): string | null {
  if (journal.outcome.verdict === 'passed') return null;
  if (changes.some((c) => c.changed)) return null;
  const missed = rows.filter((r) => !r.ok).map((r) => r.key).sort();
  const same = (e: EarlierRunSummary) =>
    e.verdict === journal.outcome.verdict &&
    e.drillSha256 === journal.drill.sha256 &&
    [...e.missed].sort().join('\n') === missed.join('\n') &&
    (e.killSwitchCondition ?? '') === (journal.killSwitch.tripped ? (journal.killSwitch.condition ?? '') : '');
  let streak = 0;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const e = earlier[i];
    if (!e || !same(e)) break;
    streak++;
  }
  if (streak === 0) return null;
  const how = missed.length > 0 ? `the same ${plural(missed.length, 'expectation')} missed (${missed.join(', ')})` : `the same verdict (${journal.outcome.verdict})`;
  const runs = streak === 1 ? 'the previous run' : `each of the previous ${streak} runs`;
  return (
    `This run failed like ${runs}, with ${how}, and nothing firedrill can see changed ` +
    '(drill file, targets, environment). If the system under test changed, record what in the notes; otherwise change something before the next run.'
  );
}
