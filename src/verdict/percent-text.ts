/** Shares moved to values/percent.ts (below every plugin family); this keeps older imports working. */
export { formatPercent } from '../values/percent.js';
