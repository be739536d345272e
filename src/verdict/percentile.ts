/** Nearest-rank percentiles: every result is a value that was actually measured. */
import { FiredrillError } from '../errors.js';

/** The `p`-th percentile (0–100) of `values` by nearest rank; NaN when there are no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new FiredrillError('FD_INTERNAL', `percentile: p must be between 0 and 100, got ${p}`, { p });
  }
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // p * n first keeps integer products exact (95 * 20 = 1900); the epsilon absorbs 99.9 * 1000 noise
  const rank = Math.ceil((p * sorted.length) / 100 - 1e-9);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] as number;
}
