/**
 * Builds the After-Action Review model from a journal: pure, no clock, no I/O. The team's notes and
 * earlier runs, when given, arrive already loaded (see aar/context.ts).
 */
import type { Journal } from '../../journal/types.js';
import { actionRows } from './actions.js';
import { blastRadiusFacts } from './blast-radius.js';
import { hostFacts } from './hosts.js';
import { chartsSection } from './charts.js';
import { checklist } from './checklist.js';
import type { AarContext } from './context.js';
import { expectationRows } from './expectations.js';
import { faultFacts } from './faults.js';
import { fiveWhys } from './five-whys.js';
import { killSwitchFacts, rehearsalFacts } from './kill-switch.js';
import { learningSection } from './learning.js';
import { metricsFacts } from './metrics.js';
import { proxyFacts } from './proxies.js';
import type { AarModel } from './model.js';
import { observations } from './observations.js';
import { buildPlan } from './plan.js';
import { postmortemSection } from './postmortem.js';
import { probePhaseStats } from './probe-stats.js';
import { nextPrompts, whyPrompts } from './prompts.js';
import { mergeWhys, premortemMarks } from './team-findings.js';
import { timeline } from './timeline.js';
import { verdictLine } from './verdict.js';

/** The whole review, in the order a reviewer reads it; every report format renders this. */
export function buildAar(journal: Journal, options: AarContext = {}): AarModel {
  const rows = expectationRows(journal, options.nearMissShare);
  const blast = blastRadiusFacts(journal);
  const seen = observations(journal, rows);
  const events = timeline(journal);
  const learning = learningSection(journal, rows, options.history, options.nearMissShare);
  const actions = actionRows(options.notes, options.history?.earlierNotes ?? []);
  const observed = learning.repetition ? [...seen, { kind: 'repetition' as const, severity: 'warning' as const, text: `Repetition, not iteration: ${learning.repetition}` }] : seen;
  return {
    run: {
      runId: journal.runId,
      drillName: journal.drill.name,
      drillFile: journal.drill.file,
      drillSha256: journal.drill.sha256,
      environment: journal.environment,
      startedAt: journal.startedAt,
      ...(journal.endedAt === undefined ? {} : { endedAt: journal.endedAt }),
      ...(journal.durationMs === undefined ? {} : { durationMs: journal.durationMs }),
      seed: journal.seed,
      host: journal.host.hostname,
      tool: `${journal.tool.name} ${journal.tool.version} (node ${journal.tool.node})`,
      journalVersion: journal.journalVersion,
    },
    verdict: verdictLine(journal, rows),
    alerts: seen.filter((o) => o.severity === 'critical'),
    plan: buildPlan(journal),
    facts: {
      blastRadius: blast,
      timeline: events,
      expectations: rows,
      expectationCounts: {
        total: rows.length,
        missed: rows.filter((r) => !r.ok).length,
        nearMisses: rows.filter((r) => r.status === 'near-miss').length,
        noData: rows.filter((r) => r.status === 'no-data').length,
      },
      probes: probePhaseStats(journal),
      metrics: metricsFacts(journal),
      faults: faultFacts(journal),
      killSwitch: killSwitchFacts(journal),
      proxies: proxyFacts(journal),
      hosts: hostFacts(journal),
    },
    why: { observations: observed, fiveWhys: mergeWhys(fiveWhys(journal, rows, seen), options.notes), prompts: whyPrompts(journal, seen) },
    next: { prompts: nextPrompts(journal, rows), actions, premortem: premortemMarks(journal.drill.premortem, options.notes) },
    checklist: checklist(journal, blast, seen, learning, options.notes, actions),
    learning,
    charts: chartsSection(journal, rows, events),
    notes: options.notes ? { source: options.notes.source, sections: options.notes.sections } : null,
    rehearsal: rehearsalFacts(journal),
    postmortem: postmortemSection(journal, rows, options.notes),
  };
}
