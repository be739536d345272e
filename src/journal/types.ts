/**
 * The run record's types, inferred from the journal schema (journal/schema.ts). The runner writes
 * a journal; every report is rendered from it alone.
 */
import type { z } from 'zod';
import type {
  eventTypeSchema,
  expectationResultSchema,
  faultRecordSchema,
  faultStatusSchema,
  journalEventSchema,
  journalSchema,
  killSwitchKindSchema,
  killSwitchRecordSchema,
  phaseNameSchema,
  phaseRecordSchema,
  proxyCountersSchema,
  proxyFaultCountersSchema,
  runMetricsSchema,
  sampleSchema,
  targetInstanceRecordSchema,
  targetRecordSchema,
  valueOutcomeSchema,
  verdictSchema,
} from './schema.js';

import type { SampleTable } from './sample-table.js';

export { JOURNAL_VERSION } from './schema.js';

export type JournalPhaseName = z.infer<typeof phaseNameSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type ValueOutcome = z.infer<typeof valueOutcomeSchema>;
export type Sample = z.infer<typeof sampleSchema>;
export type EventType = z.infer<typeof eventTypeSchema>;
export type JournalEvent = z.infer<typeof journalEventSchema>;
export type TargetInstanceRecord = z.infer<typeof targetInstanceRecordSchema>;
export type TargetRecord = z.infer<typeof targetRecordSchema>;
export type FaultStatus = z.infer<typeof faultStatusSchema>;
export type FaultRecord = z.infer<typeof faultRecordSchema>;
export type KillSwitchKind = z.infer<typeof killSwitchKindSchema>;
export type KillSwitchRecord = z.infer<typeof killSwitchRecordSchema>;
export type ExpectationResult = z.infer<typeof expectationResultSchema>;
export type PhaseRecord = z.infer<typeof phaseRecordSchema>;
export type RunMetrics = z.infer<typeof runMetricsSchema>;
export type ProxyFaultCounters = z.infer<typeof proxyFaultCountersSchema>;
export type ProxyCounters = z.infer<typeof proxyCountersSchema>;

/**
 * The validated drill a journal records. The drill format names its type here by declaration
 * merging (drill/journal-spec.ts adds `extends Drill`), so this module stays free of the drill
 * format's code and the folders keep pointing one way (drill imports journal, never back).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface DrillSpec {}

type JournalShape = z.infer<typeof journalSchema>;

/**
 * A run's samples in memory: objects (a journal read from a file, a test, a short in-process run)
 * or columns (sample-table.ts: what a runner reads its sample stream back into). The file holds
 * columns either way (sample-columns.ts); sample-index.ts and sample-phase.ts read both.
 */
export type SampleSet = readonly Sample[] | SampleTable;

/** A run record; `Journal<Sample[]>` is one whose samples are objects (what `readJournal` gives). */
export type Journal<S extends SampleSet = SampleSet> = Omit<JournalShape, 'drill' | 'samples'> & {
  drill: Omit<JournalShape['drill'], 'spec'> & { spec: DrillSpec };
  samples: S;
};
