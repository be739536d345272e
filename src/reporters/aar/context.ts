/**
 * What a report may know besides the journal: the team's notes on this run and earlier runs of the
 * same drill. Both are read by src/history/ and handed in already loaded, so building the model
 * stays pure; without them the report is the journal's alone.
 */
import type { Journal, Verdict } from '../../journal/types.js';

export type PremortemAnswer = 'yes' | 'no' | 'partly';

/** One action item as the team wrote it. */
export interface ActionItem {
  text: string;
  owner?: string;
  due?: string;
  done: boolean;
}

/** The team's findings for one run, parsed from a notes file (format: docs/reports.md). */
export interface TeamNotes {
  /** where the notes came from, as given (for the report's footer) */
  source: string;
  actions: ActionItem[];
  premortem: Array<{ text: string; happened: PremortemAnswer | null; note?: string }>;
  whys: TeamWhyChain[];
  /** every other section, as written (plain text lines; renderers escape them) */
  sections: Array<{ title: string; lines: string[] }>;
}

/** A 5 Whys chain the team filled in. */
export interface TeamWhyChain {
  problem: string;
  answers: string[];
  root?: string;
}

/** The few facts of an earlier run that history needs, without its samples. */
export interface EarlierRunSummary {
  runId: string;
  startedAt: string;
  verdict: Verdict;
  drillSha256: string;
  /** keys of the expectations that were missed (see ExpectationRow.key) */
  missed: string[];
  killSwitchCondition?: string;
}

/** Earlier runs of the same drill, as found in the report directory. */
export interface HistoryContext {
  /** the run just before this one, with a link to its folder relative to this run's folder */
  previous?: { journal: Journal; href: string };
  /** every earlier run, oldest first (the previous one included) */
  earlier: EarlierRunSummary[];
  /** the team's notes of earlier runs, oldest first, for action items that carry over */
  earlierNotes: Array<{ runId: string; notes: TeamNotes }>;
}

/** Everything `buildAar` accepts besides the journal. */
export interface AarContext {
  /** flag an expectation that held with less than this share of its budget left (default 0.1) */
  nearMissShare?: number;
  notes?: TeamNotes;
  history?: HistoryContext;
}
