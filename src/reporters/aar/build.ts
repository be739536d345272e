/** Builds the After-Action Review model from a journal: pure, no clock, no I/O. */
import type { Journal } from '../../journal/types.js';
import type { RenderOptions } from '../contract.js';
import { blastRadiusFacts } from './blast-radius.js';
import { checklist } from './checklist.js';
import { expectationRows } from './expectations.js';
import { faultFacts } from './faults.js';
import { fiveWhys } from './five-whys.js';
import { killSwitchFacts } from './kill-switch.js';
import { metricsFacts } from './metrics.js';
import type { AarModel } from './model.js';
import { observations } from './observations.js';
import { buildPlan } from './plan.js';
import { probePhaseStats } from './probe-stats.js';
import { nextPrompts, whyPrompts } from './prompts.js';
import { timeline } from './timeline.js';
import { verdictLine } from './verdict.js';

/** The whole review, in the order a reviewer reads it; every report format renders this. */
export function buildAar(journal: Journal, options: RenderOptions = {}): AarModel {
  const rows = expectationRows(journal, options.nearMissShare);
  const blast = blastRadiusFacts(journal);
  const seen = observations(journal, rows);
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
      timeline: timeline(journal),
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
    },
    why: { observations: seen, fiveWhys: fiveWhys(journal, rows, seen), prompts: whyPrompts(journal, seen) },
    next: { prompts: nextPrompts(journal, rows), premortem: journal.drill.premortem.map((text) => ({ text, happened: null })) },
    checklist: checklist(journal, blast, seen),
  };
}
