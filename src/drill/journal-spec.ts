/**
 * Tells the journal format which type its `drill.spec` has: the validated drill. The journal does
 * not import the drill format (it is a format of its own, below every other folder); the drill
 * format fills in the journal's empty `DrillSpec` interface here instead (declaration merging).
 */
import type { Drill, PhaseName } from './schema.js';
import type { JournalPhaseName } from '../journal/types.js';

declare module '../journal/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges Drill into the journal's DrillSpec
  interface DrillSpec extends Drill {}
}

/** The drill's phase names and the journal's are one list; this fails to compile when they part. */
export type PhaseNamesAgree = [PhaseName, JournalPhaseName] extends [JournalPhaseName, PhaseName] ? true : never;
export const phaseNamesAgree: PhaseNamesAgree = true;
