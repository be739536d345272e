/** Durations moved to values/duration.ts (below every plugin family); this keeps older imports working. */
export { formatDurationMs, parseDurationMs } from '../values/duration.js';
